//! The `nianbao` command; everything is in the library ([`nianbao::cli`]).

/// mimalloc rather than the system's allocator: a build allocates and frees
/// some millions of small strings and values, and glibc's malloc spent about
/// a fifth of a full build's CPU on them (free lists merged and split). With
/// mimalloc a full build at 1,000 reports takes about 12 % less CPU and at
/// 10,000 about 18 % less (BENCHMARKS.md).
/// Transparent huge pages are off (`no_thp`): with them each thread's pages
/// were backed by 2 MB pages and the peak memory at 1,000 reports went from
/// 49 to 74 MB.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    nianbao::commands::main()
}
