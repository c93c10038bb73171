//! The one integration-test binary: drives the real `dockwright` binary in temporary directories.

mod answer_sets;
mod build_helper;
mod cli;
mod contradictions;
mod corpus;
mod deploy;
mod e2e;
mod fixtures;
mod hardening;
mod hostile;
mod ignore_files;
mod multiarch;
mod overrides;
mod snapshots;
mod suites;
mod terminal;
mod test;
mod tools;
mod update;
mod watch;
mod wizard;
mod workflow;
