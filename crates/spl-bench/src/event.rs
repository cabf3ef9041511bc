//! Building one audit event of each kind.
//!
//! Three kinds of line are produced (see [`EventKind`]); every line is an
//! `audit.k8s.io/v1` `Event` with the fields a real API server writes, in its order.

use crate::catalog::{
    COMPONENT_AGENTS, CONTROL_PLANE, HUMANS, HUMAN_AGENTS, IMAGES, NAMESPACES, RESOURCES,
    SCANNER_AGENTS, SCANNER_IPS, SCANNER_PROBES, SERVICE_ACCOUNTS, VERBS, WORKLOADS,
};
use crate::json::JsonWriter;
use crate::rng::SplitMix64;
use crate::time::format_micros;

/// What a generated line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// Matches the flagship search: groups contain `system:unauthenticated` and
    /// `responseStatus.code` is `403`.
    Scan,
    /// Contains both literals `system:unauthenticated` and `403` but does not match the
    /// flagship search (wrong code, or the group only appears in a request body).
    NearMiss,
    /// Ordinary authenticated cluster traffic; never contains `system:unauthenticated`.
    Background,
}

/// The parts of an event that differ between kinds.
struct Identity<'a> {
    username: String,
    groups: Vec<&'a str>,
    source_ips: Vec<String>,
    user_agent: &'a str,
}

/// Writes a single event for `kind` at `received_micros` into `writer` (cleared first).
pub fn write_event(
    writer: &mut JsonWriter,
    rng: &mut SplitMix64,
    kind: EventKind,
    received_micros: i64,
) {
    writer.clear();
    match kind {
        EventKind::Scan => write_scan(writer, rng, received_micros),
        EventKind::NearMiss => write_near_miss(writer, rng, received_micros),
        EventKind::Background => write_background(writer, rng, received_micros),
    }
}

/// A random UUID in the canonical textual form (version 4 layout).
fn audit_id(rng: &mut SplitMix64) -> String {
    let high = rng.next_u64();
    let low = rng.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0x0fff,
        ((low >> 48) & 0x3fff) | 0x8000,
        low & 0xffff_ffff_ffff
    )
}

/// Writes the envelope common to all events, up to and including `userAgent`.
fn write_head(
    writer: &mut JsonWriter,
    rng: &mut SplitMix64,
    level: &str,
    request_uri: &str,
    verb: &str,
    identity: &Identity,
) {
    let id = audit_id(rng);
    let source_ips: Vec<&str> = identity.source_ips.iter().map(String::as_str).collect();
    writer
        .begin_object()
        .field_str("kind", "Event")
        .field_str("apiVersion", "audit.k8s.io/v1")
        .field_str("level", level)
        .field_str("auditID", &id)
        .field_str("stage", "ResponseComplete")
        .field_str("requestURI", request_uri)
        .field_str("verb", verb)
        .key("user")
        .begin_object()
        .field_str("username", &identity.username);
    if identity.username.starts_with("system:serviceaccount:") {
        let uid = audit_id(rng);
        writer.field_str("uid", &uid);
    }
    writer
        .field_strings("groups", &identity.groups)
        .end_object()
        .field_strings("sourceIPs", &source_ips)
        .field_str("userAgent", identity.user_agent);
}

/// `objectRef` for a resource request.
fn write_object_ref(
    writer: &mut JsonWriter,
    resource: &str,
    namespace: Option<&str>,
    name: Option<&str>,
    group: &str,
    version: &str,
) {
    writer
        .key("objectRef")
        .begin_object()
        .field_str("resource", resource);
    if let Some(namespace) = namespace {
        writer.field_str("namespace", namespace);
    }
    if let Some(name) = name {
        writer.field_str("name", name);
    }
    if !group.is_empty() {
        writer.field_str("apiGroup", group);
    }
    writer.field_str("apiVersion", version).end_object();
}

/// `responseStatus` of a failed request.
fn write_failure(writer: &mut JsonWriter, code: i64, reason: &str, message: &str) {
    writer
        .key("responseStatus")
        .begin_object()
        .key("metadata")
        .begin_object()
        .end_object()
        .field_str("status", "Failure")
        .field_str("message", message)
        .field_str("reason", reason)
        .field_number("code", code)
        .end_object();
}

/// `responseStatus` of a successful request.
fn write_success(writer: &mut JsonWriter, code: i64) {
    writer
        .key("responseStatus")
        .begin_object()
        .key("metadata")
        .begin_object()
        .end_object()
        .field_number("code", code)
        .end_object();
}

/// Timestamps and authorization annotations that close every event.
fn write_tail(
    writer: &mut JsonWriter,
    rng: &mut SplitMix64,
    received_micros: i64,
    decision: &str,
    reason: &str,
) {
    let latency = 300 + rng.below(40_000) as i64;
    writer
        .field_str("requestReceivedTimestamp", &format_micros(received_micros))
        .field_str("stageTimestamp", &format_micros(received_micros + latency))
        .key("annotations")
        .begin_object()
        .field_str("authorization.k8s.io/decision", decision)
        .field_str("authorization.k8s.io/reason", reason)
        .end_object()
        .end_object();
}

/// The forbidden message the authorizer writes for an unauthenticated request.
fn forbidden_message(user: &str, verb: &str, request_uri: &str, resource: &str) -> String {
    if resource.is_empty() {
        format!("forbidden: User \"{user}\" cannot {verb} path \"{request_uri}\"")
    } else {
        format!(
            "{resource} is forbidden: User \"{user}\" cannot {verb} resource \"{resource}\" \
             in API group \"\" at the cluster scope"
        )
    }
}

/// A private address such as `10.0.37.12`.
fn private_ip(rng: &mut SplitMix64) -> String {
    match rng.below(3) {
        0 => format!("10.0.{}.{}", rng.below(64), 1 + rng.below(254)),
        1 => format!("192.168.{}.{}", rng.below(8), 1 + rng.below(254)),
        _ => format!("172.16.{}.{}", rng.below(16), 1 + rng.below(254)),
    }
}

/// An unauthenticated request answered with 403: what the flagship detection counts.
///
/// 80% come from the fixed scanner list (so groups pass `count > 5`), 20% from one-off
/// private addresses (many small groups; `iplocation` resolves none of them); 5% carry a
/// second, private, proxy address in `sourceIPs`.
fn write_scan(writer: &mut JsonWriter, rng: &mut SplitMix64, received_micros: i64) {
    let mut source_ips = vec![if rng.chance(0.8) {
        rng.pick_str(SCANNER_IPS).to_string()
    } else {
        private_ip(rng)
    }];
    if rng.chance(0.05) {
        source_ips.push("10.0.0.5".to_string());
    }
    let identity = Identity {
        username: "system:anonymous".to_string(),
        groups: vec!["system:unauthenticated"],
        source_ips,
        user_agent: rng.pick_str(SCANNER_AGENTS),
    };
    let &(request_uri, verb, resource) = rng.pick(SCANNER_PROBES).unwrap_or(&("/", "get", ""));
    write_head(writer, rng, "Metadata", request_uri, verb, &identity);
    if !resource.is_empty() {
        write_object_ref(writer, resource, None, None, "", "v1");
    }
    let message = forbidden_message("system:anonymous", verb, request_uri, resource);
    write_failure(writer, 403, "Forbidden", &message);
    write_tail(writer, rng, received_micros, "forbid", "");
}

/// A line containing `system:unauthenticated` and `403` that the flagship must not count.
fn write_near_miss(writer: &mut JsonWriter, rng: &mut SplitMix64, received_micros: i64) {
    match rng.below(3) {
        0 => near_miss_not_found(writer, rng, received_micros),
        1 => near_miss_health_probe(writer, rng, received_micros),
        _ => near_miss_binding_denied(writer, rng, received_micros),
    }
}

/// Unauthenticated, but 404 for an object whose name contains `403`.
fn near_miss_not_found(writer: &mut JsonWriter, rng: &mut SplitMix64, received_micros: i64) {
    let namespace = rng.pick_str(NAMESPACES);
    let name = format!("{}-403-{}", rng.pick_str(WORKLOADS), rng.below(100));
    let request_uri = format!("/api/v1/namespaces/{namespace}/pods/{name}");
    let identity = Identity {
        username: "system:anonymous".to_string(),
        groups: vec!["system:unauthenticated"],
        source_ips: vec![rng.pick_str(SCANNER_IPS).to_string()],
        user_agent: rng.pick_str(SCANNER_AGENTS),
    };
    write_head(writer, rng, "Metadata", &request_uri, "get", &identity);
    write_object_ref(writer, "pods", Some(namespace), Some(&name), "", "v1");
    let message = format!("pods \"{name}\" not found");
    write_failure(writer, 404, "NotFound", &message);
    write_tail(writer, rng, received_micros, "allow", "");
}

/// Unauthenticated health probe (200) from a load balancer, with `403` in the query.
fn near_miss_health_probe(writer: &mut JsonWriter, rng: &mut SplitMix64, received_micros: i64) {
    let path = rng.pick_str(&["/healthz", "/livez", "/readyz"]);
    let request_uri = format!("{path}?probe=lb-403&verbose=false");
    let identity = Identity {
        username: "system:anonymous".to_string(),
        groups: vec!["system:unauthenticated"],
        source_ips: vec![private_ip(rng)],
        user_agent: "ELB-HealthChecker/2.0",
    };
    write_head(writer, rng, "Metadata", &request_uri, "get", &identity);
    write_success(writer, 200);
    write_tail(
        writer,
        rng,
        received_micros,
        "allow",
        "RBAC: allowed by ClusterRoleBinding \"system:public-info-viewer\" of ClusterRole \
         \"system:public-info-viewer\" to Group \"system:unauthenticated\"",
    );
}

/// An authenticated user denied (403) creating a binding that grants `system:unauthenticated`.
fn near_miss_binding_denied(writer: &mut JsonWriter, rng: &mut SplitMix64, received_micros: i64) {
    let user = rng.pick_str(HUMANS);
    let name = format!("open-{}-{}", rng.pick_str(WORKLOADS), rng.below(1000));
    let identity = Identity {
        username: user.to_string(),
        groups: vec!["developers", "system:authenticated"],
        source_ips: vec![private_ip(rng)],
        user_agent: rng.pick_str(HUMAN_AGENTS),
    };
    let request_uri = "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings";
    write_head(
        writer,
        rng,
        "RequestResponse",
        request_uri,
        "create",
        &identity,
    );
    write_object_ref(
        writer,
        "clusterrolebindings",
        None,
        Some(&name),
        "rbac.authorization.k8s.io",
        "v1",
    );
    let message = format!(
        "clusterrolebindings.rbac.authorization.k8s.io is forbidden: User \"{user}\" cannot \
         create resource \"clusterrolebindings\" in API group \"rbac.authorization.k8s.io\" \
         at the cluster scope"
    );
    write_failure(writer, 403, "Forbidden", &message);
    writer
        .key("requestObject")
        .begin_object()
        .field_str("kind", "ClusterRoleBinding")
        .field_str("apiVersion", "rbac.authorization.k8s.io/v1")
        .key("metadata")
        .begin_object()
        .field_str("name", &name)
        .end_object()
        .key("subjects")
        .begin_array()
        .begin_object()
        .field_str("kind", "Group")
        .field_str("apiGroup", "rbac.authorization.k8s.io")
        .field_str("name", "system:unauthenticated")
        .end_object()
        .end_array()
        .key("roleRef")
        .begin_object()
        .field_str("apiGroup", "rbac.authorization.k8s.io")
        .field_str("kind", "ClusterRole")
        .field_str("name", "view")
        .end_object()
        .end_object();
    write_tail(writer, rng, received_micros, "forbid", "");
}

/// Who performs a background request.
fn background_identity(rng: &mut SplitMix64) -> Identity<'static> {
    match rng.below(10) {
        0..=3 => {
            let &(namespace, name, agent) =
                rng.pick(SERVICE_ACCOUNTS)
                    .unwrap_or(&("default", "default", "curl/8.5.0"));
            Identity {
                username: format!("system:serviceaccount:{namespace}:{name}"),
                groups: vec!["system:serviceaccounts", "system:authenticated"],
                source_ips: vec![private_ip(rng)],
                user_agent: agent,
            }
        }
        4..=6 => Identity {
            username: format!(
                "system:node:ip-10-0-{}-{}.ec2.internal",
                rng.below(4),
                rng.below(40)
            ),
            groups: vec!["system:nodes", "system:authenticated"],
            source_ips: vec![format!("10.0.{}.{}", rng.below(4), 1 + rng.below(254))],
            user_agent: "kubelet/v1.29.2 (linux/amd64) kubernetes/4b8e819",
        },
        7 | 8 => Identity {
            username: rng.pick_str(CONTROL_PLANE).to_string(),
            groups: vec!["system:authenticated"],
            source_ips: vec!["10.0.0.10".to_string()],
            user_agent: rng.pick_str(COMPONENT_AGENTS),
        },
        _ => Identity {
            username: rng.pick_str(HUMANS).to_string(),
            groups: vec!["developers", "system:authenticated"],
            // Offices: the London and Linköping ranges of the test GeoIP database.
            source_ips: vec![rng
                .pick_str(&["81.2.69.160", "81.2.69.161", "89.160.20.140"])
                .to_string()],
            user_agent: rng.pick_str(HUMAN_AGENTS),
        },
    }
}

/// Ordinary authenticated traffic with request/response bodies at `Request`/`RequestResponse`
/// level, sized so the average line is close to real audit logs (about 1.4 KB).
fn write_background(writer: &mut JsonWriter, rng: &mut SplitMix64, received_micros: i64) {
    let identity = background_identity(rng);
    let &(resource, group, version, namespaced) =
        rng.pick(RESOURCES).unwrap_or(&("pods", "", "v1", true));
    let verb = rng.pick_str(VERBS);
    let namespace = namespaced.then(|| rng.pick_str(NAMESPACES));
    let workload = rng.pick_str(WORKLOADS);
    let name = format!(
        "{workload}-{:x}-{:05x}",
        rng.below(0xffff_ffff),
        rng.below(0xf_ffff)
    );
    let has_name = !matches!(verb, "list" | "watch" | "create");
    let request_uri = request_uri(
        resource,
        group,
        version,
        namespace,
        has_name.then_some(&name),
        verb,
        rng,
    );
    let level = match verb {
        "create" | "update" | "patch" => "RequestResponse",
        _ if rng.chance(0.15) => "Request",
        _ => "Metadata",
    };
    write_head(writer, rng, level, &request_uri, verb, &identity);
    write_object_ref(
        writer,
        resource,
        namespace,
        has_name.then_some(name.as_str()),
        group,
        version,
    );
    let code = match rng.below(100) {
        0..=3 if has_name => 404,
        4 if verb == "create" => 409,
        5 if verb == "update" => 409,
        _ if verb == "create" => 201,
        _ => 200,
    };
    match code {
        404 => write_failure(
            writer,
            404,
            "NotFound",
            &format!("{resource} \"{name}\" not found"),
        ),
        409 => write_failure(
            writer,
            409,
            "Conflict",
            &format!(
                "Operation cannot be fulfilled on {resource} \"{name}\": the object has been \
                 modified; please apply your changes to the latest version and try again"
            ),
        ),
        _ => write_success(writer, code),
    }
    if level == "RequestResponse" {
        write_pod_like_object(writer, rng, "requestObject", &name, namespace.unwrap_or(""));
        if code < 300 {
            write_pod_like_object(
                writer,
                rng,
                "responseObject",
                &name,
                namespace.unwrap_or(""),
            );
        }
    }
    let reason = format!(
        "RBAC: allowed by ClusterRoleBinding \"system:controller:{workload}\" of ClusterRole \
         \"system:controller:{workload}\" to User \"{}\"",
        identity.username
    );
    write_tail(writer, rng, received_micros, "allow", &reason);
}

/// The request URI of a resource request, with the query strings clients really send.
fn request_uri(
    resource: &str,
    group: &str,
    version: &str,
    namespace: Option<&str>,
    name: Option<&String>,
    verb: &str,
    rng: &mut SplitMix64,
) -> String {
    let mut uri = if group.is_empty() {
        format!("/api/{version}")
    } else {
        format!("/apis/{group}/{version}")
    };
    if let Some(namespace) = namespace {
        uri.push_str("/namespaces/");
        uri.push_str(namespace);
    }
    uri.push('/');
    uri.push_str(resource);
    if let Some(name) = name {
        uri.push('/');
        uri.push_str(name);
    }
    match verb {
        "list" => uri.push_str("?limit=500&resourceVersion=0"),
        "watch" => uri.push_str(&format!(
            "?allowWatchBookmarks=true&resourceVersion={}&timeout=7m{}s&timeoutSeconds={}&watch=true",
            10_000_000 + rng.below(90_000_000),
            rng.below(60),
            300 + rng.below(300)
        )),
        "patch" => uri.push_str("?fieldManager=kubectl-client-side-apply&fieldValidation=Strict"),
        _ => {}
    }
    uri
}

/// A pod-shaped object body (metadata, labels, one or two containers, status).
fn write_pod_like_object(
    writer: &mut JsonWriter,
    rng: &mut SplitMix64,
    key: &str,
    name: &str,
    namespace: &str,
) {
    let uid = audit_id(rng);
    let app = name.split('-').next().unwrap_or(name);
    writer
        .key(key)
        .begin_object()
        .field_str("kind", "Pod")
        .field_str("apiVersion", "v1")
        .key("metadata")
        .begin_object()
        .field_str("name", name)
        .field_str("namespace", namespace)
        .field_str("uid", &uid)
        .field_str(
            "resourceVersion",
            &(10_000_000 + rng.below(90_000_000)).to_string(),
        )
        .key("labels")
        .begin_object()
        .field_str("app.kubernetes.io/name", app)
        .field_str("app.kubernetes.io/part-of", "shop")
        .field_str(
            "pod-template-hash",
            &format!("{:x}", rng.below(0xffff_ffff)),
        )
        .end_object()
        .end_object()
        .key("spec")
        .begin_object()
        .key("containers")
        .begin_array();
    let containers = 1 + rng.below(2);
    for index in 0..containers {
        writer
            .begin_object()
            .field_str("name", if index == 0 { app } else { "sidecar" })
            .field_str("image", rng.pick_str(IMAGES))
            .key("ports")
            .begin_array()
            .begin_object()
            .field_number("containerPort", 8080 + index as i64)
            .field_str("protocol", "TCP")
            .end_object()
            .end_array()
            .key("resources")
            .begin_object()
            .key("limits")
            .begin_object()
            .field_str("cpu", "500m")
            .field_str("memory", "512Mi")
            .end_object()
            .end_object()
            .field_str("imagePullPolicy", "IfNotPresent")
            .end_object();
    }
    writer
        .end_array()
        .field_str("serviceAccountName", "default")
        .field_str(
            "nodeName",
            &format!("ip-10-0-{}-{}.ec2.internal", rng.below(4), rng.below(40)),
        )
        .end_object()
        .key("status")
        .begin_object()
        .field_str("phase", "Running")
        .field_str(
            "podIP",
            &format!("10.0.{}.{}", 64 + rng.below(64), 1 + rng.below(254)),
        )
        .key("conditions")
        .begin_array()
        .begin_object()
        .field_str("type", "Ready")
        .field_str("status", "True")
        .end_object()
        .end_array()
        .end_object()
        .end_object();
}
