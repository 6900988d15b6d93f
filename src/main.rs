//! The `nianbao` command; everything is in the library ([`nianbao::cli`]).

fn main() -> std::process::ExitCode {
    nianbao::commands::main()
}
