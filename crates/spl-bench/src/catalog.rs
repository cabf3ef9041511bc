//! Constant tables the generator draws from: addresses, users, agents, resources.

/// Public scanner addresses. Every one lies in a network of the shipped test GeoIP database
/// (`testdata/geoip/GeoLite2-City-Test.json`), so `iplocation` resolves it; some resolve to a
/// country without a city (`67.43.156.x` → Bhutan, `202.196.224.x` → Philippines,
/// `2001:2xx::` → Asia), which exercises the empty-`City` group key.
pub const SCANNER_IPS: &[&str] = &[
    "81.2.69.142",
    "81.2.69.143",
    "81.2.69.150",
    "81.2.69.170",
    "81.2.69.200",
    "89.160.20.112",
    "89.160.20.120",
    "89.160.20.130",
    "67.43.156.7",
    "67.43.156.20",
    "175.16.199.5",
    "175.16.199.77",
    "216.160.83.56",
    "216.160.83.60",
    "2.125.160.216",
    "202.196.224.5",
    "2001:480::52",
    "2001:218::1",
    "2001:250::7",
];

/// User agents of scanning tools and ad-hoc HTTP clients.
pub const SCANNER_AGENTS: &[&str] = &[
    "curl/7.68.0",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Python-urllib/3.9",
    "Go-http-client/1.1",
    "Go-http-client/2.0",
    "kube-hunter/0.6.8",
    "Mozilla/5.0 zgrab/0.x",
    "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
    "kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819",
];

/// Paths probed by unauthenticated scanners: `(requestURI, verb, resource)`; an empty
/// resource means a non-resource URL (`cannot get path …`).
pub const SCANNER_PROBES: &[(&str, &str, &str)] = &[
    ("/", "get", ""),
    ("/api", "get", ""),
    ("/apis", "get", ""),
    ("/version", "get", ""),
    ("/metrics", "get", ""),
    ("/openapi/v2", "get", ""),
    ("/api/v1/secrets", "list", "secrets"),
    ("/api/v1/pods", "list", "pods"),
    ("/api/v1/nodes", "list", "nodes"),
    ("/api/v1/namespaces", "list", "namespaces"),
    ("/api/v1/configmaps", "list", "configmaps"),
    ("/api/v1/services", "list", "services"),
    ("/api/v1/serviceaccounts", "list", "serviceaccounts"),
    ("/apis/apps/v1/deployments", "list", "deployments"),
    (
        "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
        "list",
        "clusterrolebindings",
    ),
];

/// Namespaces of a mid-sized cluster.
pub const NAMESPACES: &[&str] = &[
    "default",
    "kube-system",
    "kube-public",
    "monitoring",
    "ingress-nginx",
    "cert-manager",
    "argocd",
    "payments",
    "checkout",
    "catalog",
    "search",
    "team-data",
];

/// Human users (authenticated through OIDC).
pub const HUMANS: &[&str] = &[
    "alice@example.com",
    "bob@example.com",
    "carol@example.com",
    "dave@example.com",
    "erin@example.com",
    "oncall-sre@example.com",
];

/// Control-plane identities.
pub const CONTROL_PLANE: &[&str] = &[
    "system:kube-controller-manager",
    "system:kube-scheduler",
    "system:apiserver",
    "system:kube-proxy",
];

/// Service accounts as `(namespace, name, user agent)`.
pub const SERVICE_ACCOUNTS: &[(&str, &str, &str)] = &[
    (
        "kube-system",
        "coredns",
        "coredns/v1.11.1 (linux/amd64) kubernetes/ae2bbc2",
    ),
    ("kube-system", "aws-node", "aws-vpc-cni/v1.16.0"),
    (
        "kube-system",
        "ebs-csi-controller-sa",
        "csi-provisioner/v3.6.0",
    ),
    ("monitoring", "prometheus-k8s", "Prometheus/2.49.1"),
    (
        "monitoring",
        "kube-state-metrics",
        "kube-state-metrics/v2.10.1",
    ),
    (
        "ingress-nginx",
        "ingress-nginx",
        "nginx-ingress-controller/v1.9.5 (linux/amd64) ingress-nginx/f503c4bb",
    ),
    (
        "cert-manager",
        "cert-manager",
        "cert-manager-controller/v1.13.3 (linux/amd64) cert-manager/1.13.3",
    ),
    (
        "argocd",
        "argocd-application-controller",
        "argocd-application-controller/v2.9.3 (linux/amd64)",
    ),
];

/// Agents of control-plane components and nodes.
pub const COMPONENT_AGENTS: &[&str] = &[
    "kube-controller-manager/v1.29.2 (linux/amd64) kubernetes/4b8e819/leader-election",
    "kube-scheduler/v1.29.2 (linux/amd64) kubernetes/4b8e819/scheduler",
    "kube-apiserver/v1.29.2 (linux/amd64) kubernetes/4b8e819",
    "kube-proxy/v1.29.2 (linux/amd64) kubernetes/4b8e819",
];

/// Agents of human users.
pub const HUMAN_AGENTS: &[&str] = &[
    "kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819",
    "kubectl/v1.28.4 (darwin/arm64) kubernetes/bae2c62",
    "k9s/v0.31.7 (darwin/arm64)",
    "Lens/2024.1.300737 (darwin/arm64)",
];

/// Resources as `(resource, API group, version, namespaced)`; an empty group is the core group.
pub const RESOURCES: &[(&str, &str, &str, bool)] = &[
    ("pods", "", "v1", true),
    ("pods", "", "v1", true),
    ("configmaps", "", "v1", true),
    ("secrets", "", "v1", true),
    ("services", "", "v1", true),
    ("endpoints", "", "v1", true),
    ("events", "", "v1", true),
    ("nodes", "", "v1", false),
    ("namespaces", "", "v1", false),
    ("leases", "coordination.k8s.io", "v1", true),
    ("leases", "coordination.k8s.io", "v1", true),
    ("leases", "coordination.k8s.io", "v1", true),
    ("deployments", "apps", "v1", true),
    ("replicasets", "apps", "v1", true),
    ("endpointslices", "discovery.k8s.io", "v1", true),
    ("ingresses", "networking.k8s.io", "v1", true),
    (
        "clusterrolebindings",
        "rbac.authorization.k8s.io",
        "v1",
        false,
    ),
];

/// Verbs weighted roughly like a real cluster: reads and lease updates dominate.
pub const VERBS: &[&str] = &[
    "get", "get", "get", "get", "get", "list", "list", "watch", "watch", "update", "update",
    "patch", "create", "delete",
];

/// Workload names used for object names.
pub const WORKLOADS: &[&str] = &[
    "web",
    "api",
    "worker",
    "checkout",
    "cart",
    "catalog",
    "search",
    "redis",
    "postgres",
    "kafka",
    "prometheus",
    "grafana",
    "alertmanager",
    "coredns",
    "nginx",
];

/// Container images used in generated pod specs.
pub const IMAGES: &[&str] = &[
    "registry.example.com/shop/web:1.42.0",
    "registry.example.com/shop/api:2.7.3",
    "docker.io/library/redis:7.2.4",
    "docker.io/library/postgres:16.1",
    "quay.io/prometheus/prometheus:v2.49.1",
    "registry.k8s.io/coredns/coredns:v1.11.1",
];
