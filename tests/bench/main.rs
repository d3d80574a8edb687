//! `krafto-bench`: the project's benchmarks, each printing its figures.
//! - `requests`: the request path (`/store/tenant`, `/me`) against `pgbench -S`.
//! - `search`: listing search on a million listings, over HTTP and directly, with and
//!   without row-level security.
//! - `checkout`: a 3-shop checkout (test gateway) at 1, 8 and 32 concurrent buyers.
//! - `pages`: server-rendered storefront pages next to the API calls that read the same data.

mod checkout;
mod common;
mod pages;
mod requests;
mod search;

use clap::Parser;

#[derive(Parser, Debug)]
#[command(name = "krafto-bench", about = "Krafto benchmarks")]
enum Cli {
    /// Platform request path versus pgbench -S, in one run.
    Requests(requests::Args),
    /// Search latency on 1M listings over HTTP, and the row-level-security overhead.
    Search(search::Args),
    /// A 3-shop checkout with the test gateway at 1, 8 and 32 concurrent buyers.
    Checkout(checkout::Args),
    /// Storefront pages against their JSON API twins, in one run.
    Pages(pages::Args),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse() {
        Cli::Requests(a) => requests::run(a).await,
        Cli::Search(a) => search::run(a).await,
        Cli::Checkout(a) => checkout::run(a).await,
        Cli::Pages(a) => pages::run(a).await,
    }
}
