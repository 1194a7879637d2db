//! The `convive` binary: parses the command line and hands over to `web::cli`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    web::cli::run(web::cli::Cli::parse())
}
