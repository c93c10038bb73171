//! Command lines: splitting a shell-like line into an exec-form argument list, and quoting one
//! back for prose, `docker run` examples and JSON arrays. No expansion is ever done.

/// Splits a command line the way a POSIX shell would for plain words, quotes and backslashes.
/// Returns `None` for an unbalanced quote. No expansion is done: the result is an exec-form CMD.
pub fn split(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        other => word.push(other),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            esc @ ('"' | '\\' | '$' | '`') => word.push(esc),
                            other => {
                                word.push('\\');
                                word.push(other);
                            }
                        },
                        other => word.push(other),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            other => {
                in_word = true;
                word.push(other);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

/// Quotes each word only when a POSIX shell needs it.
pub fn line(items: &[String]) -> String {
    items
        .iter()
        .map(|w| {
            if !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
            {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `["a", "b c"]` with a space after each comma, as Dockerfiles and compose files are usually written.
pub fn json_array(items: &[String]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|s| serde_json::to_string(s).expect("strings always serialise"))
        .collect();
    format!("[{}]", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_split_like_a_shell() {
        assert_eq!(
            split(r#"python -c "print('a b')" x\ y"#).unwrap(),
            ["python", "-c", "print('a b')", "x y"]
        );
        assert_eq!(split("a 'b"), None);
        assert_eq!(split("  ").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn quoting_round_trips() {
        let argv: Vec<String> = ["a", "b c", "it's", ""].map(String::from).to_vec();
        assert_eq!(split(&line(&argv)).unwrap(), argv);
        assert_eq!(json_array(&argv), r#"["a", "b c", "it's", ""]"#);
    }
}
