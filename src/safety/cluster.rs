//! Names that fit Kubernetes' and Swarm's limits.

/// The longest Kubernetes name of a namespace, Service, container or label value (a DNS label).
pub const KUBERNETES_NAME_MAX: usize = 63;
/// The longest stack (and service) name of the Swarm stack: Swarm names a service
/// `<stack>_<service>` and a network `<stack>_<service>-net`, each at most 63 characters, and the
/// stack file suggests the name itself as the stack's: 29 + 1 + 29 + 4 = 63.
pub const SWARM_NAME_MAX: usize = 29;

/// A Kubernetes name made of the image name (`[a-z0-9-]`, a letter or digit at both ends): a
/// DNS-1035 label, as a Service needs (a letter first, at most 63). `app-` goes before a name
/// that starts with a digit (`123` → `app-123`); a longer one is [`shortened`].
pub fn kubernetes_name(image: &str) -> String {
    let name = if image.starts_with(|c: char| c.is_ascii_digit()) {
        format!("app-{image}")
    } else {
        image.to_string()
    };
    shortened(&name, KUBERNETES_NAME_MAX)
}

/// The Swarm stack's name for the image name: the name itself up to [`SWARM_NAME_MAX`], else
/// [`shortened`] to it.
pub fn swarm_name(image: &str) -> String {
    shortened(image, SWARM_NAME_MAX)
}

/// `name` when it has at most `max` characters; else its first characters and `-` and the
/// first 8 hex digits of its sha256, `max` in all, so that two long names that share a
/// beginning still differ, and the same name always gives the same result.
pub fn shortened(name: &str, max: usize) -> String {
    use sha2::{Digest, Sha256};
    if name.len() <= max {
        return name.to_string();
    }
    let hash: String = Sha256::digest(name.as_bytes())
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect();
    // ASCII only (an image name), so any byte index is a character boundary.
    let head = name[..max - hash.len() - 1].trim_end_matches(['-', '_', '.']);
    format!("{head}-{hash}")
}
