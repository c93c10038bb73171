//! Renders the catalogue's blueprints into memory: no I/O here, just `path → contents`.
//! Which blueprints exist, where they go and in which syntax is `catalogue`'s business; this
//! module holds the minijinja environments and walks the catalogue.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use crate::catalogue::{Entry, Output, Role, Switch, Syntax, CATALOGUE};
use crate::context::RenderContext;
use crate::error::Result;
use crate::model::{
    Rendered, COMPOSE_FILE, DOCKER_JUST, LEGACY_COMPOSE_FILES, RECORD_FILE, USER_JUSTFILES,
};
use crate::overrides::{self, Overrides};

/// What to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Only the Docker artifacts (`init`).
    Artifacts,
    /// The artifacts plus the runnable project skeleton (`new`).
    Project,
}

/// The rendered files, and which of them are artifacts dockwright owns (the rest is skeleton,
/// the user's once written).
#[derive(Debug, Clone, Default)]
pub struct Renders {
    pub files: Rendered,
    pub owned: BTreeSet<PathBuf>,
}

/// Renders every catalogue entry that is switched on for `ctx` and `scope`.
pub fn render(ctx: &RenderContext, scope: Scope) -> Result<Renders> {
    render_with(ctx, scope, &Overrides::none())
}

/// Renders as [`render`], with the blueprints of the user's own in place of the built-in ones
/// of the same name, then the added ones; an error in one names its file and line (exit 2).
pub fn render_with(ctx: &RenderContext, scope: Scope, overrides: &Overrides) -> Result<Renders> {
    let own = (!overrides.is_empty()).then(|| overrides.templates());
    // Templates load (and compile) on first use, so a run compiles only what it renders and
    // the partials its blueprints include.
    let envs =
        [Syntax::Jinja, Syntax::Just, Syntax::Actions].map(|s| environment_with(s, own.clone()));
    let env = |s: Syntax| &envs[s as usize];
    let value = minijinja::Value::from(minijinja::value::Serde(ctx));
    let fail = |e: minijinja::Error| overrides::render_error(overrides, e);
    let mut out = Renders::default();
    for entry in CATALOGUE {
        match entry.role {
            Role::Partial => {}
            Role::Artifact { output, switch } => {
                if !switched_on(switch, ctx, scope) {
                    continue;
                }
                let text = env(entry.syntax)
                    .get_template(entry.blueprint)
                    .and_then(|t| t.render(&value))
                    .map_err(fail)?;
                let path = match output {
                    Output::Path(p) => PathBuf::from(p),
                    Output::JustFile => PathBuf::from(&ctx.layout.just_file),
                    Output::Compose => PathBuf::from(&ctx.layout.compose_file),
                };
                out.owned.insert(path.clone());
                out.files.insert(path, text);
            }
            Role::Tree { switch } => {
                if !switched_on(switch, ctx, scope) {
                    continue;
                }
                for name in tree_files(entry) {
                    let rel = &name[entry.blueprint.len() + 1..name.len() - ".j2".len()];
                    let text = env(entry.syntax)
                        .get_template(&name)
                        .and_then(|t| t.render(&value))
                        .map_err(fail)?;
                    out.files.insert(output_path(rel, ctx), text);
                }
            }
        }
    }
    for added in overrides.added()? {
        let text = env(added.syntax)
            .get_template(&added.name)
            .and_then(|t| t.render(&value))
            .map_err(fail)?;
        if out.files.contains_key(&added.output) {
            return Err(crate::error::Error::Blueprint {
                path: overrides.shown_path(&added.name).unwrap_or_default(),
                line: None,
                reason: format!(
                    "`{}` is written by a built-in blueprint (`dockwright blueprints list` names it); give your blueprint that name to replace it",
                    added.output.display()
                ),
            });
        }
        out.owned.insert(added.output.clone());
        out.files.insert(added.output, text);
    }
    Ok(out)
}

fn switched_on(switch: Switch, ctx: &RenderContext, scope: Scope) -> bool {
    match switch {
        Switch::Always => true,
        Switch::NewProject => scope == Scope::Project,
        Switch::NewProjectOfKind(kind) => scope == Scope::Project && ctx.kind == kind.as_str(),
        Switch::CiGithub => ctx.ci_github,
        Switch::DeployKubernetes => ctx.deploy_kubernetes,
        Switch::DeploySwarm => ctx.deploy_swarm,
        Switch::Workspace => ctx.workspace.is_some(),
        Switch::BuildHelper => ctx.build_helper,
        Switch::Watch => ctx.watch.is_some(),
    }
}

/// The `.j2` files under a tree entry's folder that are written (not those in its `partials/`
/// folder), by their path in `blueprints/`.
fn tree_files(entry: &Entry) -> Vec<String> {
    let mut out = crate::embedded::files_under(entry.blueprint);
    let partials = format!("{}/partials/", entry.blueprint);
    out.retain(|n| n.ends_with(".j2") && !n.starts_with(&partials));
    out.sort();
    out
}

/// A tree file's output path: a segment `__package__` becomes the import package.
fn output_path(rel: &str, ctx: &RenderContext) -> PathBuf {
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

/// Whether dockwright may generate `rel` (relative to a target) in some run: a catalogue
/// output (either Compose name, either file for the recipes, the user's justfile it adds an
/// import to), a skeleton file of `new` (an identifier in place of `__package__`: `new` writes
/// no namespace package), the
/// record, or the backup of one of those under `.dockwright/backup/`. A rename journal is
/// rolled forward only for such paths: never `.env`, `.venv/…` or anything else of the user's.
pub fn may_write(rel: &Path) -> bool {
    let Some(rel) = rel.to_str() else {
        return false;
    };
    let rel = crate::model::stored_for(rel);
    // `update --conflict rej` writes `FILE.rej` beside a generated file.
    let rel = rel.strip_suffix(".rej").unwrap_or(rel);
    let fixed = [RECORD_FILE, COMPOSE_FILE, DOCKER_JUST]
        .into_iter()
        .chain(LEGACY_COMPOSE_FILES)
        .chain(USER_JUSTFILES);
    if fixed.into_iter().any(|f| f == rel) {
        return true;
    }
    CATALOGUE.iter().any(|entry| match entry.role {
        Role::Artifact {
            output: Output::Path(p),
            ..
        } => p == rel,
        Role::Artifact { .. } | Role::Partial => false,
        Role::Tree { .. } => tree_files(entry).iter().any(|name| {
            let out = &name[entry.blueprint.len() + 1..name.len() - ".j2".len()];
            let (want, have): (Vec<&str>, Vec<&str>) =
                (out.split('/').collect(), rel.split('/').collect());
            want.len() == have.len()
                && want.iter().zip(&have).all(|(w, h)| {
                    w == h
                        || (*w == "__package__"
                            && !h.is_empty()
                            && h.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
                            && h.chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
                })
        }),
    })
}

/// Strict undefined, no auto-escaping (YAML/JSON must not be HTML-escaped), trailing newline
/// kept, block tags on their own line leave no blank line behind; the delimiters of `syntax`.
pub fn environment(syntax: Syntax) -> Environment<'static> {
    environment_with(syntax, None)
}

/// [`environment`] whose loader reads `own` (the blueprints of the user's own, by template
/// name) before the built-in blueprints; with `own`, an include or import must name a file
/// inside the blueprints folders (`overrides::check_include`).
pub fn environment_with(
    syntax: Syntax,
    own: Option<Arc<BTreeMap<String, String>>>,
) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    let mut config = SyntaxConfig::builder();
    config
        .keep_trailing_newline(true)
        .trim_blocks(true)
        .lstrip_blocks(true);
    if matches!(syntax, Syntax::Just | Syntax::Actions) {
        config
            .variable_delimiters("<{", "}>")
            .block_delimiters("<%", "%>")
            .comment_delimiters("<#", "#>");
    }
    env.set_syntax(
        config
            .build()
            .expect("the delimiters are distinct and valid"),
    );
    // Escapes for values that land in Markdown (see `safety`).
    env.add_filter("md_code", |s: String| crate::safety::md_code(&s));
    env.add_filter("md_cell", |s: String| crate::safety::md_cell(&s));
    env.set_loader(move |name| {
        if let Some(own) = &own {
            overrides::check_include(name)?;
            if let Some(text) = own.get(name) {
                return Ok(Some(text.clone()));
            }
        }
        Ok(crate::embedded::text(name).map(str::to_string))
    });
    env
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{resolve, Field, Layers, Raw};
    use crate::catalogue::Role;
    use crate::facts::Facts;
    use crate::model::{Kind, MARKER};

    #[test]
    fn every_entry_resolves_and_every_blueprint_belongs_to_one_entry() {
        for entry in CATALOGUE {
            match entry.role {
                Role::Tree { .. } => assert!(
                    !tree_files(entry).is_empty(),
                    "{} is not a folder of blueprints",
                    entry.blueprint
                ),
                _ => assert!(
                    entry.blueprint.ends_with(".j2")
                        && crate::embedded::text(entry.blueprint).is_some(),
                    "{} is not an embedded blueprint",
                    entry.blueprint
                ),
            }
        }
        let files = crate::embedded::files_under("");
        assert!(files.len() > 20, "{files:?}");
        for file in files {
            let owners: Vec<_> = CATALOGUE
                .iter()
                .filter(|e| match e.role {
                    Role::Tree { .. } => file.starts_with(&format!("{}/", e.blueprint)),
                    _ => file == e.blueprint,
                })
                .collect();
            assert_eq!(owners.len(), 1, "{file} belongs to {owners:?}");
        }
    }

    #[test]
    fn a_journal_may_name_only_files_dockwright_generates() {
        for yes in [
            "Dockerfile",
            "compose.yaml",
            "docker-compose.yml",
            "Justfile",
            "docker.just",
            ".dockwright.toml",
            "deploy/kubernetes/base/deployment.yaml",
            "src/my_app/app.py",
            "pyproject.toml",
            ".dockwright/backup/Dockerfile",
        ] {
            assert!(may_write(Path::new(yes)), "{yes}");
        }
        for no in [
            ".env",
            ".venv/bin/python",
            "src/my_app/evil.py",
            "src/My-App/app.py",
            "src/a.b/app.py",
            "src/app.py",
            ".git/hooks/pre-commit",
            ".dockwright/backup/.env",
            ".dockwright/backup/.dockwright/backup/Dockerfile",
            "Dockerfile/x",
            "",
        ] {
            assert!(!may_write(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn actions_and_just_syntax_leave_double_braces_alone() {
        for syntax in [Syntax::Just, Syntax::Actions] {
            let env = environment(syntax);
            let text = env
                .render_str(
                    "run: ${{ github.sha }} {{NAME}} <{ x }><% if y %>!<% endif %>",
                    minijinja::context! { x => "v", y => true },
                )
                .unwrap();
            assert_eq!(text, "run: ${{ github.sha }} {{NAME}} v!");
        }
    }

    /// An entry that says it carries the ownership marker does, for every kind; one that says it
    /// does not, does not (the marker is how a justfile is told apart from the user's own).
    #[test]
    fn the_marker_is_where_the_catalogue_says() {
        for kind in Kind::NAMES {
            let mut layers = Layers::default();
            layers
                .flags
                .insert(Field::Kind, Raw::Text(kind.to_string()));
            // Every opt-in artifact on that the kind allows, so each entry is checked (the
            // cluster files are for the HTTP kinds; `new` serves MCP over HTTP).
            layers.flags.insert(Field::Ci, Raw::Text("github".into()));
            if Kind::parse(kind).is_some_and(Kind::serves_http) {
                layers.flags.insert(
                    Field::Deploy,
                    Raw::List(vec!["kubernetes".into(), "swarm".into()]),
                );
            }
            // A uv workspace member, so the workspace's ignore files are rendered too.
            layers
                .flags
                .insert(Field::Installer, Raw::Text("uv".into()));
            let layout = Facts {
                workspace: Some(crate::facts::Workspace {
                    root: "../..".into(),
                    member: "packages/api".into(),
                    package: "api".into(),
                    dependencies: vec!["packages/lib".into()],
                }),
                ..Facts::new_project()
            };
            let answers = resolve(&layers).unwrap();
            let ctx = RenderContext::new(&answers, layout);
            let rendered = render(&ctx, Scope::Project).unwrap().files;
            // A killed run's journal is finished for every file a run writes, and its backups.
            for path in rendered.keys() {
                assert!(may_write(path), "{}", path.display());
                let backup = std::path::Path::new(crate::model::BACKUP_DIR).join(path);
                assert!(may_write(&backup), "{}", backup.display());
            }
            for entry in CATALOGUE {
                let Role::Artifact { output, .. } = entry.role else {
                    continue;
                };
                let path = match output {
                    Output::Path(p) => p,
                    Output::JustFile => "justfile",
                    Output::Compose => crate::model::COMPOSE_FILE,
                };
                let Some(text) = rendered.get(std::path::Path::new(path)) else {
                    // Switched off for this kind: the cluster files and the watch override
                    // of cli and library (they serve nothing).
                    let serves = Kind::parse(kind).is_some_and(Kind::serves_http);
                    assert!(
                        path.starts_with("deploy/")
                            || (path == crate::catalogue::WATCH_FILE && !serves),
                        "{path} of a {kind} project"
                    );
                    continue;
                };
                assert_eq!(
                    text.contains(MARKER),
                    entry.marker,
                    "{path} of a {kind} project"
                );
            }
        }
    }
}
