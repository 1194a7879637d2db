//! The benchmark: `cargo run --release -p tests --bin bench -- [SCENARIO…] [--events N]
//! [--duration S] [--connections C] [--json] [--tiny]`. See `tests::bench` and the README.

use std::process::ExitCode;

use tests::bench::{self, server};

fn main() -> ExitCode {
    backend::tls::use_ring();
    let args: Vec<String> = std::env::args().skip(1).collect();
    // This executable also serves as the processes it measures.
    match args.first().map(String::as_str) {
        Some(server::SERVE_FLAG) => return server::serve_convive(),
        Some(server::BARE_FLAG) => {
            let address = args.get(1).map_or("127.0.0.1:0", String::as_str);
            let size = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5_000);
            return match server::serve_bare(address, size) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("bare handler: {err:#}");
                    ExitCode::FAILURE
                }
            };
        }
        _ => {}
    }
    let options = match bench::parse_args(&args) {
        Ok(options) => options,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("bench: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(bench::run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bench: {err:#}");
            ExitCode::FAILURE
        }
    }
}
