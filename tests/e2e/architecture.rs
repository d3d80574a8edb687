//! The dependency direction of ARCHITECTURE.md ("Layout"), read from `cargo metadata`:
//! binaries → domain crates → `krafto-db` / `krafto-core`; domain code never imports poem;
//! `krafto-core` imports nothing of ours; the API objects never see diesel; one binary never
//! depends on the other.
//!
//! The graph is the workspace's declared dependencies (`cargo metadata --no-deps`), so a rule
//! breaks the moment a `Cargo.toml` says so, whatever the code uses. A crate reaches what it
//! depends on directly and, through each crate of ours on the way, what that crate depends on
//! (normal and build dependencies: that is what gets built into it). So `krafto-jobs` →
//! `krafto-web` → `poem` is as wrong as `krafto-jobs` → `poem`, and the failure names the path.
//! Features are not evaluated: an optional dependency counts as reached, whether or not the
//! feature that enables it is on (the stricter reading; an allow-list entry for the crate that
//! declares it excuses only that crate).
//!
//! Which kinds of a crate's *own* dependencies count, per rule:
//! - what a crate is made of (`krafto-core` is pure; a binary stands alone): every kind,
//!   dev-dependencies included. A pure crate's tests must still build without our other
//!   crates, and a test that needs both servers belongs in `krafto-tests`, not in a binary.
//! - what a crate's code imports (poem in domain code, diesel in the API objects): normal and
//!   build dependencies, optional ones included (a feature compiles them into the library).
//!   Dev-dependencies do not count: a domain crate's own tests may stand up an HTTP double, and
//!   none of that ships.
//!
//! Test names are sentences; each failure names the offending edge and the rule it breaks.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

const CORE: &str = "krafto-core";
const API_TYPES: &str = "krafto-api-types";
const TESTS: &str = "krafto-tests";
const BINARIES: [&str; 2] = ["platform", "tenant-admin"];
/// The HTTP boundary: these may use poem. Every other library crate of ours is domain code
/// (today krafto-core, krafto-db, krafto-tenancy, krafto-auth, krafto-search,
/// krafto-payments, krafto-jobs, krafto-mail), so a new crate is held to the domain rule
/// until someone decides otherwise here.
const HTTP_BOUNDARY: [&str; 3] = ["krafto-api-types", "krafto-web", "krafto-testkit"];
const POEM: [&str; 2] = ["poem", "poem-openapi"];
const DIESEL: [&str; 4] = ["diesel", "diesel-async", "diesel_migrations", "krafto-db"];

/// Known breaches, each with its reason: (from, to). An entry excuses only paths that start at
/// `from` and end at `to`; any other crate reaching `to` through `from` is still reported.
const ALLOWED: &[(&str, &str)] = &[
    // TEMPORARY. `krafto_payments::testing` (the Stripe double other crates' tests use, behind
    // the `testing` feature) serves HTTP with poem, so this domain crate declares poem as an
    // optional dependency. Moving the double out (into a test-support crate, this crate's
    // Stripe tests becoming integration tests, or onto wiremock) removes the entry.
    ("krafto-payments", "poem"),
    // The testkit spawns both servers for the end-to-end tests (ARCHITECTURE.md: "test
    // databases, app spawning, builders"). Only krafto-tests may depend on the testkit: any
    // other crate doing so reaches a binary through it and fails
    // `no_library_depends_on_a_binary`.
    ("krafto-testkit", "platform"),
    ("krafto-testkit", "tenant-admin"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Normal,
    Dev,
    Build,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Normal => "dependency",
            Kind::Dev => "dev-dependency",
            Kind::Build => "build-dependency",
        }
    }
}

#[derive(Debug)]
struct Dep {
    name: String,
    kind: Kind,
    optional: bool,
}

/// Which of a crate's own dependencies a rule counts (see the module docs).
#[derive(Debug, Clone, Copy)]
enum Counted {
    AllKinds,
    NotDev,
}

/// Each workspace member with its declared dependencies.
#[derive(Debug)]
struct Workspace {
    crates: BTreeMap<String, Vec<Dep>>,
}

impl Workspace {
    fn read() -> Workspace {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
        let out = Command::new(&cargo)
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .current_dir(root)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {cargo:?} metadata in {root}: {e}"));
        assert!(
            out.status.success(),
            "`cargo metadata --no-deps` failed in {root}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let meta: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata is JSON");
        let members: BTreeSet<&str> = meta["workspace_members"]
            .as_array()
            .expect("workspace_members")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let mut crates = BTreeMap::new();
        for package in meta["packages"].as_array().expect("packages") {
            if !members.contains(package["id"].as_str().unwrap_or_default()) {
                continue;
            }
            let name = package["name"].as_str().expect("package name").to_owned();
            let deps = package["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .map(|d| Dep {
                    // The package's name, also when the manifest renames it.
                    name: d["name"].as_str().expect("dependency name").to_owned(),
                    kind: match d["kind"].as_str() {
                        None => Kind::Normal,
                        Some("dev") => Kind::Dev,
                        Some("build") => Kind::Build,
                        Some(other) => panic!("unknown dependency kind {other:?} in {name}"),
                    },
                    optional: d["optional"].as_bool().unwrap_or(false),
                })
                .collect();
            crates.insert(name, deps);
        }
        Workspace { crates }
    }

    fn is_ours(&self, name: &str) -> bool {
        self.crates.contains_key(name)
    }

    /// How `from` reaches each of `targets` it reaches, by the shortest path, with the kind of
    /// its first edge, e.g. `tenant-admin → krafto-testkit → platform (dependency)`. Allowed
    /// breaches (`ALLOWED`) are left out.
    fn paths(&self, from: &str, counted: Counted, targets: &[&str]) -> Vec<String> {
        let mut shortest: BTreeMap<String, (Vec<String>, String)> = BTreeMap::new();
        for (path, how) in self.reach(from, counted, targets) {
            let end = path[path.len() - 1].clone();
            if ALLOWED.iter().any(|(f, t)| *f == from && *t == end) {
                continue;
            }
            match shortest.get(&end) {
                Some((known, _)) if known.len() <= path.len() => {}
                _ => {
                    shortest.insert(end, (path, how));
                }
            }
        }
        shortest
            .into_values()
            .map(|(path, how)| format!("{} ({how})", path.join(" → ")))
            .collect()
    }

    /// Every path from `from` to one of `targets`, with the kind of its first edge.
    fn reach(&self, from: &str, counted: Counted, targets: &[&str]) -> Vec<(Vec<String>, String)> {
        let mut found = Vec::new();
        for dep in self.crates.get(from).into_iter().flatten() {
            if matches!(counted, Counted::NotDev) && dep.kind == Kind::Dev {
                continue;
            }
            let mut how = dep.kind.label().to_owned();
            if dep.optional {
                how = format!("optional {how}");
            }
            let mut path = vec![from.to_owned(), dep.name.clone()];
            self.walk(&mut path, targets, &how, &mut found);
        }
        found
    }

    /// Past the first edge, only what gets built into a crate leads on: the normal and build
    /// dependencies of our crates (a dependency's own dev-dependencies are never built for us).
    fn walk(
        &self,
        path: &mut Vec<String>,
        targets: &[&str],
        how: &str,
        found: &mut Vec<(Vec<String>, String)>,
    ) {
        let here = path[path.len() - 1].clone();
        // The first forbidden crate on a path is the breach; what lies past it is its business.
        if targets.contains(&here.as_str()) {
            found.push((path.clone(), how.to_owned()));
            return;
        }
        if !self.is_ours(&here) {
            return;
        }
        for dep in &self.crates[&here] {
            // A cycle through dev-dependencies is legal in cargo; don't loop on it.
            if dep.kind == Kind::Dev || path.contains(&dep.name) {
                continue;
            }
            path.push(dep.name.clone());
            self.walk(path, targets, how, found);
            path.pop();
        }
    }

    fn libraries(&self) -> impl Iterator<Item = &str> {
        self.crates
            .keys()
            .map(String::as_str)
            .filter(|c| !BINARIES.contains(c) && *c != TESTS)
    }
}

fn assert_none(breaches: &[String], rule: &str) {
    assert!(
        breaches.is_empty(),
        "{rule}\n\nOffending dependencies (path, kind of the first edge):\n  {}\n\n\
         Remove the dependency (move the code that needs it to the right crate), or, if the \
         breach must stay for now, add an entry with a reason to ALLOWED in \
         tests/e2e/architecture.rs.",
        breaches.join("\n  ")
    );
}

#[test]
fn every_crate_the_rules_name_is_in_the_workspace() {
    // A renamed or removed crate would otherwise turn a rule into one that checks nothing.
    let ws = Workspace::read();
    let named = [CORE, API_TYPES, TESTS]
        .into_iter()
        .chain(BINARIES)
        .chain(HTTP_BOUNDARY)
        .chain(ALLOWED.iter().map(|(from, _)| *from));
    let missing: Vec<&str> = named.filter(|c| !ws.is_ours(c)).collect();
    assert!(
        missing.is_empty(),
        "tests/e2e/architecture.rs names crates the workspace no longer has: {missing:?}; \
         update the rules to the new names"
    );
}

#[test]
fn every_allowed_breach_still_exists() {
    // An entry whose breach is gone would excuse the next one unseen; delete it instead.
    let ws = Workspace::read();
    let stale: Vec<String> = ALLOWED
        .iter()
        .filter(|(from, to)| ws.reach(from, Counted::NotDev, &[to]).is_empty())
        .map(|(from, to)| format!("{from} → {to}"))
        .collect();
    assert!(
        stale.is_empty(),
        "ALLOWED in tests/e2e/architecture.rs excuses breaches that are gone: {stale:?}; \
         delete those entries"
    );
}

#[test]
fn krafto_core_depends_on_nothing_of_ours() {
    let ws = Workspace::read();
    let ours: Vec<&str> = ws.crates.keys().map(String::as_str).collect();
    assert_none(
        &ws.paths(CORE, Counted::AllKinds, &ours),
        "krafto-core (ids, money, fee math, state machines) is pure and imports nothing of \
         ours, not even in its tests (ARCHITECTURE.md, \"Dependency direction\").",
    );
}

#[test]
fn domain_crates_never_depend_on_poem() {
    let ws = Workspace::read();
    let breaches: Vec<String> = ws
        .libraries()
        .filter(|c| !HTTP_BOUNDARY.contains(c))
        .flat_map(|c| ws.paths(c, Counted::NotDev, &POEM))
        .collect();
    assert_none(
        &breaches,
        "Domain code never imports poem (ARCHITECTURE.md, \"Dependency direction\"): only the \
         HTTP boundary (krafto-api-types, krafto-web, krafto-testkit) and the binaries may \
         depend on poem or poem-openapi, so a use case can be called by the API, the pages and \
         the worker alike.",
    );
}

#[test]
fn api_types_never_depend_on_diesel() {
    let ws = Workspace::read();
    assert_none(
        &ws.paths(API_TYPES, Counted::NotDev, &DIESEL),
        "krafto-api-types holds the poem-openapi objects and never sees diesel: no diesel, \
         diesel-async, diesel_migrations or krafto-db (ARCHITECTURE.md, \"Layout\"; \
         CONVENTIONS.md: API objects live in a crate that does not depend on diesel).",
    );
}

#[test]
fn one_binary_never_depends_on_the_other() {
    let ws = Workspace::read();
    let breaches: Vec<String> = BINARIES
        .iter()
        .flat_map(|bin| {
            let others: Vec<&str> = BINARIES.into_iter().filter(|b| b != bin).collect();
            ws.paths(bin, Counted::AllKinds, &others)
        })
        .collect();
    assert_none(
        &breaches,
        "One binary never depends on the other (ARCHITECTURE.md, \"Dependency direction\"): \
         code both need goes into a crate under crates/ (a file they share, like a stylesheet, \
         into the crate that owns it), and tests that need both servers go into krafto-tests.",
    );
}

#[test]
fn no_library_depends_on_a_binary() {
    let ws = Workspace::read();
    let breaches: Vec<String> = ws
        .libraries()
        .flat_map(|c| ws.paths(c, Counted::AllKinds, &BINARIES))
        .collect();
    assert_none(
        &breaches,
        "Dependencies point from the binaries to the crates, never back (ARCHITECTURE.md, \
         \"Dependency direction\"): only krafto-tests, the end-to-end tests and benchmarks, \
         depends on platform and tenant-admin.",
    );
}
