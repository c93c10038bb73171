//! The fields a blueprint may use, read from this crate's own source: the doc comment of every
//! field of every serialised struct of `context/` and `facts.rs`. `dockwright blueprints
//! context` prints it; `docs/context.md` is that output, and `context_doc_is_current` fails
//! when it differs, so the list cannot drift from the code.

/// The sources read, with the name blueprints reach each struct by.
const SOURCES: &[(&str, &str)] = &[
    ("src/context/mod.rs", include_str!("mod.rs")),
    ("src/context/watch.rs", include_str!("watch.rs")),
    ("src/facts.rs", include_str!("../facts.rs")),
];

/// How a struct is reached from the top of the context.
fn reached_by(name: &str) -> &'static str {
    match name {
        "RenderContext" => "the top level: `{{ name }}`",
        "Facts" => "`layout`: `{{ layout.has_pyproject }}`",
        "Watch" => "`watch` (absent for kinds that serve nothing)",
        "WatchSync" => "each of `watch.syncs`",
        "Suite" => "`layout.suite`",
        "AppRequirements" => "`layout.app_requirements`",
        "StubBuild" => "`layout.stub`",
        "DjangoSite" => "`layout.django`",
        "Workspace" => "`layout.workspace` and `workspace`",
        _ => "a field of a struct above",
    }
}

/// One documented field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub ty: String,
    pub doc: String,
}

/// Every `#[derive(... Serialize ...)] pub struct` of `source`, with its documented fields.
pub fn structs(source: &str) -> Vec<(String, Vec<Field>)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        let serialized = line.starts_with("#[derive(") && line.contains("Serialize");
        if !serialized {
            i += 1;
            continue;
        }
        // The struct line follows the derive (and any other attributes).
        let mut j = i + 1;
        while j < lines.len() && lines[j].trim_start().starts_with("#[") {
            j += 1;
        }
        let Some(name) = lines
            .get(j)
            .and_then(|l| l.trim().strip_prefix("pub struct "))
            .and_then(|l| l.strip_suffix(" {"))
        else {
            i = j;
            continue;
        };
        let mut fields = Vec::new();
        let mut doc: Vec<String> = Vec::new();
        let mut skip = false;
        j += 1;
        while j < lines.len() && lines[j] != "}" {
            let l = lines[j].trim();
            if let Some(d) = l.strip_prefix("///") {
                doc.push(d.trim().to_string());
            } else if l.starts_with("#[serde(skip") {
                skip = true;
            } else if let Some(rest) = l.strip_prefix("pub ") {
                // `name: Type,` possibly over several lines.
                let mut decl = rest.to_string();
                while !decl.trim_end().ends_with(',') && j + 1 < lines.len() && lines[j + 1] != "}"
                {
                    j += 1;
                    decl.push_str(lines[j].trim());
                }
                if let Some((field, ty)) = decl.split_once(':') {
                    if !skip {
                        fields.push(Field {
                            name: field.trim().to_string(),
                            ty: ty.trim().trim_end_matches(',').to_string(),
                            doc: doc.join(" "),
                        });
                    }
                }
                doc.clear();
                skip = false;
            } else if !l.starts_with("#[") {
                doc.clear();
            }
            j += 1;
        }
        out.push((name.to_string(), fields));
        i = j;
    }
    out
}

/// `docs/context.md`.
pub fn markdown() -> String {
    let mut out = String::from(
        "# The blueprint context\n\n\
         <!-- Generated from the doc comments of the code by `dockwright blueprints context`; do not edit.\n\
         `context_doc_is_current` fails when this file differs: regenerate it with\n\
         `cargo run -q -- blueprints context > docs/context.md`. -->\n\n\
         Every field a blueprint (built-in or your own, see `overrides.md`) may use. A name not\n\
         listed here fails the render (strict undefined). Decide with the booleans, never by\n\
         comparing a string.\n",
    );
    for (path, source) in SOURCES {
        for (name, fields) in structs(source) {
            out.push_str(&format!(
                "\n## `{name}`\n\nReached as {}; defined in `{path}`.\n\n| field | type | meaning |\n|---|---|---|\n",
                reached_by(&name)
            ));
            for f in fields {
                out.push_str(&format!(
                    "| `{}` | `{}` | {} |\n",
                    f.name,
                    f.ty.replace('|', "\\|"),
                    f.doc.replace('|', "\\|")
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parser sees every field serde writes: the keys of a real context and its layout.
    #[test]
    fn every_serialised_field_is_listed() {
        let answers = crate::answers::resolve(&crate::answers::Layers::default()).unwrap();
        let ctx = super::super::RenderContext::new(&answers, crate::facts::Facts::new_project());
        let json = serde_json::to_value(&ctx).unwrap();
        let all = structs(SOURCES[0].1);
        let listed: Vec<&str> = all
            .iter()
            .find(|(n, _)| n == "RenderContext")
            .unwrap()
            .1
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted = listed.clone();
        sorted.sort();
        assert_eq!(sorted, keys);
        let facts = structs(SOURCES[2].1);
        let layout: Vec<&str> = facts
            .iter()
            .find(|(n, _)| n == "Facts")
            .unwrap()
            .1
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        let mut layout_sorted = layout.clone();
        layout_sorted.sort();
        let layout_keys: Vec<&str> = json["layout"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(layout_sorted, layout_keys);
        for (name, fields) in all.iter().chain(&facts) {
            for f in fields {
                assert!(!f.doc.is_empty(), "{name}.{} has no doc comment", f.name);
            }
        }
    }

    /// `docs/context.md` is exactly what `dockwright blueprints context` prints.
    #[test]
    fn context_doc_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/context.md");
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == markdown(),
            "docs/context.md differs from the context's doc comments: regenerate it with `cargo run -q -- blueprints context > docs/context.md` and commit it"
        );
    }
}
