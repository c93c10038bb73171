//! Random names and keys from the operating system's random source: the temporary files and
//! folders written beside their destination (so two runs never pick the same name), and the
//! journal's key.

/// `bytes` random bytes from the operating system, as `2 * bytes` lowercase hex digits.
pub fn hex(bytes: usize) -> std::io::Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_has_two_digits_a_byte_and_differs_each_time() {
        let a = super::hex(16).unwrap();
        assert_eq!(a.len(), 32);
        assert!(a
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_ne!(a, super::hex(16).unwrap());
    }
}
