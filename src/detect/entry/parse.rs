//! A Typer or Click command read as text: its decorator, its function's parameters and body,
//! the name it is given and the options it takes. Only plain names and options are kept: they
//! reach a command.

/// `@group.command(ARGS)` (or `@group.command` without parentheses): the group and ARGS.
pub(super) fn command_decorator(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('@')?;
    let (group, rest) = rest.split_once(".command")?;
    if !group.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || group.is_empty() {
        return None;
    }
    let args = rest.trim_end();
    let args = args
        .strip_prefix('(')
        .and_then(|a| a.strip_suffix(')'))
        .unwrap_or("");
    Some((group, args))
}

/// The function whose `def` is at line `at`: its name, its parameter text and its body (the
/// following indented lines).
pub(super) fn function_at(lines: &[&str], at: usize) -> Option<(String, String, String)> {
    let def = lines[at]
        .trim_start_matches("async ")
        .strip_prefix("def ")?;
    let name: String = def
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let mut params = String::new();
    let mut depth = 0usize;
    let mut end = at;
    'outer: for (j, line) in lines.iter().enumerate().skip(at).take(60) {
        let text = if j == at { &def[name.len()..] } else { line };
        for c in text.chars() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = j;
                        break 'outer;
                    }
                }
                _ => {}
            }
            if depth > 0 {
                params.push(c);
            }
        }
        params.push('\n');
    }
    let body: Vec<&str> = lines
        .iter()
        .skip(end + 1)
        .take(200)
        .take_while(|l| l.is_empty() || l.starts_with(char::is_whitespace))
        .copied()
        .collect();
    (!name.is_empty()).then(|| (name, params, body.join("\n")))
}

/// The options of a Typer command from its parameters: the `--long` names its `typer.Option`
/// gives, else the parameter's name with `_` as `-`.
pub(super) fn typer_options(params: &str) -> Vec<String> {
    split_top(params.trim_start_matches('('))
        .into_iter()
        .filter_map(|p| {
            let p = p.trim();
            let name: String = p
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() || p.contains("typer.Argument") || p.contains("Argument(") {
                return None;
            }
            let explicit = literals(p).into_iter().find(|l| l.starts_with("--"));
            Some(explicit.unwrap_or_else(|| format!("--{}", name.replace('_', "-"))))
        })
        .filter(|o| option_name(o))
        .collect()
}

/// The options of a Click command: the `--long` name of each `@click.option(…)` decorator.
pub(super) fn click_options(decorators: &str) -> Vec<String> {
    decorators
        .split("option(")
        .skip(1)
        .filter_map(|d| literals(d).into_iter().find(|l| l.starts_with("--")))
        .filter(|o| option_name(o))
        .collect()
}

/// An option name safe to put in a command: `--` and lowercase letters, digits and `-`.
fn option_name(o: &str) -> bool {
    o.strip_prefix("--").is_some_and(|n| {
        !n.is_empty()
            && n.len() <= 40
            && n.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    })
}

/// `s` split at the commas outside brackets.
fn split_top(s: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        parts.last_mut().unwrap().push(c);
    }
    parts
}

/// The string literals in `s`, in order (without escapes).
fn literals(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find(['"', '\'']) {
        let quote = rest[start..].chars().next().unwrap_or('"');
        let body = &rest[start + 1..];
        let Some(end) = body.find(quote) else { break };
        out.push(body[..end].to_string());
        rest = &body[end + 1..];
    }
    out
}

/// The first argument of a decorator when it is a literal (`"serve"`).
pub(super) fn first_literal(args: &str) -> Option<String> {
    let first = split_top(args).into_iter().next()?;
    let first = first.trim();
    let lit = first.strip_prefix(['"', '\''])?.strip_suffix(['"', '\''])?;
    Some(lit.to_string())
}

/// `key="value"` among a decorator's arguments.
pub(super) fn keyword_literal(args: &str, key: &str) -> Option<String> {
    split_top(args).into_iter().find_map(|a| {
        let (k, v) = a.split_once('=')?;
        let v = v
            .trim()
            .strip_prefix(['"', '\''])?
            .strip_suffix(['"', '\''])?;
        (k.trim() == key).then(|| v.to_string())
    })
}

/// A subcommand name safe in a command: lowercase letters, digits, `-` and `_`.
pub(super) fn command_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && !s.starts_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_'))
}
