//! Generates the parser from `grammar/toy.lalrpop` into `$OUT_DIR/toy.rs`, and the rule
//! matchers from `src/ssa/rules/*.rules` into `$OUT_DIR/rewrite_*.rs` (Go's `rulegen`).

#[path = "src/ssa/rules/gen.rs"]
mod rulegen;

/// The rule files and the function each becomes.
const RULES: [(&str, &str); 2] = [
    ("generic.rules", "rewrite_generic"),
    ("amd64.rules", "rewrite_amd64"),
];

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    lalrpop::Configuration::new()
        .set_in_dir("grammar")
        .set_out_dir(&out_dir)
        .emit_rerun_directives(true)
        .process()
        .expect("grammar/toy.lalrpop must generate a parser");
    if let Err(message) = generate_rules(std::path::Path::new(&out_dir)) {
        // Cargo shows the message as the build's error, and the build stops.
        println!("cargo::error={message}");
    }
}

fn generate_rules(out_dir: &std::path::Path) -> Result<(), String> {
    let read = |path: &str| {
        println!("cargo:rerun-if-changed={path}");
        std::fs::read_to_string(path).map_err(|error| format!("{path}: {error}"))
    };
    println!("cargo:rerun-if-changed=src/ssa/rules/gen.rs");
    let ops = rulegen::Ops::from_source(&read("src/ssa/op.rs")?)?;
    for (file, name) in RULES {
        let text = read(&format!("src/ssa/rules/{file}"))?;
        let code = rulegen::generate(file, &text, name, &ops)?;
        let path = out_dir.join(format!("{name}.rs"));
        std::fs::write(&path, code).map_err(|error| format!("{}: {error}", path.display()))?;
    }
    Ok(())
}
