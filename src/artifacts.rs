//! Everything a run would write, in memory: the rendered blueprints, the record
//! (`.dockwright.toml`: the answers, the hash of every artifact, the blueprints of the user's
//! own) and the base store entries the next `update` merges against. `render_all` is the one
//! place these three are put together, for this run and for a re-render of recorded answers.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::answers::{self, Answers};
use crate::context::RenderContext;
use crate::error::Result;
use crate::facts::Facts;
use crate::model::{Rendered, RECORD_FILE};
use crate::overrides;
use crate::render::{self, Scope};
use crate::store;

/// Everything a run would write, in memory: the blueprints plus `.dockwright.toml`, which
/// records the answers and the hash of every artifact, and the base store (`store`): each
/// artifact as rendered, under `.dockwright/base/`, the next update's merge base.
pub fn render_all(answers: &Answers, layout: Facts, scope: Scope) -> Result<Rendered> {
    render_all_with(answers, layout, scope, &overrides::Overrides::none())
}

/// [`render_all`] with blueprints of the user's own; the record names them (`[blueprints]`).
pub fn render_all_with(
    answers: &Answers,
    layout: Facts,
    scope: Scope,
    overrides: &overrides::Overrides,
) -> Result<Rendered> {
    let ctx = RenderContext::new(answers, layout);
    let renders = render::render_with(&ctx, scope, overrides)?;
    let owned: BTreeMap<PathBuf, String> = renders
        .files
        .iter()
        .filter(|(path, _)| renders.owned.contains(*path))
        .map(|(p, c)| (p.clone(), c.clone()))
        .collect();
    let mut rendered = renders.files;
    let mut record = answers::record(answers, &owned);
    record.push_str(&overrides.record_section());
    rendered.insert(PathBuf::from(RECORD_FILE), record);
    rendered.extend(store::entries(&owned));
    Ok(rendered)
}
