//! The name of a detection's `_filter` macro (spl-semantics §7.4).

/// `<name>_filter` with the detection name lower-cased and space, `-`, `.` and `/` replaced by
/// `_`, as contentctl derives it: *Kubernetes Scanning by Unauthenticated IP Address* →
/// `kubernetes_scanning_by_unauthenticated_ip_address_filter`.
pub fn filter_macro_name(detection_name: &str) -> String {
    let stem: String = detection_name
        .chars()
        .map(|c| match c {
            ' ' | '-' | '.' | '/' => '_',
            other => other,
        })
        .collect();
    format!("{}_filter", stem.to_lowercase())
}
