fn main() { eprintln!("atlas-emulator: not built yet"); std::process::exit(2) }
