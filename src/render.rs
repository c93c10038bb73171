//! Renders the embedded blueprints into memory: no I/O here, just `path → contents`.
//!
//! Layout of `blueprints/`:
//! - `python/**.j2`: the Docker artifacts every project gets (`init` and `new`);
//!   the output path is the blueprint path minus `.j2`.
//! - `partials/**.j2`: never written themselves; blueprints `{% include %}` them (the builder
//!   stage both Dockerfiles share, so their builds share one cache).
//! - `skeleton/common/**.j2` and `skeleton/<kind>/**.j2`: the runnable project `new` creates;
//!   a path segment `__package__` becomes the import package.
//!
//! Blueprints named `justfile.j2` or `*.just.j2` use `<{ }>` / `<% %>` / `<# #>` as
//! delimiters, because just itself uses `{{ }}`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use include_dir::{include_dir, Dir, DirEntry};
use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use crate::context::RenderContext;
use crate::error::Result;

static BLUEPRINTS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/blueprints");

/// What to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Only the Docker artifacts (`init`).
    Artifacts,
    /// The artifacts plus the runnable project skeleton (`new`).
    Project,
}

/// The rendered files, keyed by path relative to the target directory; sorted, so deterministic.
pub type Rendered = BTreeMap<PathBuf, String>;

/// Renders every blueprint in `scope` with `ctx`.
pub fn render(ctx: &RenderContext, scope: Scope) -> Result<Rendered> {
    let mut files = Vec::new();
    collect(&BLUEPRINTS, &mut files);
    // Templates load (and compile) on first use, so a run compiles only what it renders and
    // the partials its blueprints include.
    let plain = environment(false)?;
    let just = environment(true)?;
    let mut roots = vec!["python".to_string()];
    if scope == Scope::Project {
        roots.push("skeleton/common".into());
        roots.push(format!("skeleton/{}", ctx.kind));
    }
    let value = minijinja::Value::from(minijinja::value::Serde(ctx));
    let mut out = Rendered::new();
    for root in &roots {
        for file in &files {
            let Some(name) = file.path().to_str() else {
                continue;
            };
            let Some(rel) = name
                .strip_prefix(root.as_str())
                .and_then(|r| r.strip_prefix('/'))
            else {
                continue;
            };
            let Some(rel) = rel.strip_suffix(".j2") else {
                continue;
            };
            let env = if is_just(name) { &just } else { &plain };
            let text = env.get_template(name)?.render(&value)?;
            out.insert(output_path(rel, ctx), text);
        }
    }
    Ok(out)
}

/// The justfile blueprints, which use the `<{ }>` delimiters.
fn is_just(name: &str) -> bool {
    name.ends_with("justfile.j2") || name.ends_with(".just.j2")
}

fn collect<'a>(dir: &'a Dir<'a>, files: &mut Vec<&'a include_dir::File<'a>>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(d) => collect(d, files),
            DirEntry::File(f) => files.push(f),
        }
    }
}

/// Maps a blueprint path to the output path: `__package__` → the package, and the justfile
/// blueprint to the file the layout chose (`justfile` or `docker.just`).
fn output_path(rel: &str, ctx: &RenderContext) -> PathBuf {
    if rel == "justfile" {
        return PathBuf::from(&ctx.layout.just_file);
    }
    rel.split('/')
        .map(|seg| {
            if seg == "__package__" {
                ctx.package.as_str()
            } else {
                seg
            }
        })
        .collect()
}

/// Strict undefined, no auto-escaping (YAML/JSON must not be HTML-escaped), trailing newline
/// kept, block tags on their own line leave no blank line behind.
fn environment(just: bool) -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    let mut syntax = SyntaxConfig::builder();
    syntax
        .keep_trailing_newline(true)
        .trim_blocks(true)
        .lstrip_blocks(true);
    if just {
        syntax
            .variable_delimiters("<{", "}>")
            .block_delimiters("<%", "%>")
            .comment_delimiters("<#", "#>");
    }
    env.set_syntax(syntax.build()?);
    // Escapes for values that land in Markdown (see `safety`).
    env.add_filter("md_code", |s: String| crate::safety::md_code(&s));
    env.add_filter("md_cell", |s: String| crate::safety::md_cell(&s));
    env.set_loader(|name| {
        Ok(BLUEPRINTS
            .get_file(name)
            .and_then(|f| f.contents_utf8())
            .map(str::to_string))
    });
    Ok(env)
}
