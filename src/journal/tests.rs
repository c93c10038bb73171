//! The journal's tests: format, MAC, and what a journal may name.
use super::*;

#[test]
fn hmac_matches_rfc_4231() {
    // Test case 2.
    assert_eq!(
        hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    // Test case 6: a key longer than the block.
    assert_eq!(
        hex(&hmac_sha256(
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First"
        )),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    );
}

#[test]
fn temporary_names_are_this_versions_only() {
    let id = "0123456789abcdef".repeat(2);
    assert!(is_temp_name(
        &format!(".Dockerfile.dockwright-{id}.tmp"),
        "Dockerfile"
    ));
    for bad in [
        ".Dockerfile.dockwright-1234.tmp".to_string(),
        format!(".Dockerfile.dockwright-{}.tmp", id.to_uppercase()),
        format!("Dockerfile.dockwright-{id}.tmp"),
        format!(".Dockerfile.dockwright-{id}.tmp.x"),
    ] {
        assert!(!is_temp_name(&bad, "Dockerfile"), "{bad}");
    }
}
