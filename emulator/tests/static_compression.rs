//! Static files are sent brotli- or gzip-compressed as the request's Accept-Encoding allows,
//! with `Vary: Accept-Encoding`, and decompress to the file's bytes.

mod common;

use std::io::Read;

use common::Emulator;

/// A console directory with a compressible wasm-like file, a small file and a PNG.
/// Each test has its own directory (`name`): the tests run in parallel.
fn served(name: &str) -> (Emulator, Vec<u8>) {
    let www = www_dir(name);
    std::fs::create_dir_all(&www).unwrap();
    let wasm: Vec<u8> = (0..200_000u32)
        .flat_map(|i| ((i % 251) as u8).to_le_bytes())
        .collect();
    std::fs::write(www.join("module.wasm"), &wasm).unwrap();
    std::fs::write(www.join("tiny.js"), "export {}").unwrap();
    std::fs::write(www.join("picture.png"), vec![7u8; 4096]).unwrap();
    let emu = Emulator::start(&["--www", www.to_str().unwrap()]);
    (emu, wasm)
}

fn www_dir(name: &str) -> std::path::PathBuf {
    std::env::temp_dir()
        .join(format!("atlas-emu-encoding-{}-{name}", std::process::id()))
        .join("www")
}

fn get(emu: &Emulator, path: &str, accept: Option<&str>) -> common::Resp {
    let req = emu.req("GET", path).no_auth();
    match accept {
        Some(a) => req.header("Accept-Encoding", a).send(),
        None => req.send(),
    }
}

#[test]
fn wasm_is_sent_brotli_or_gzip_as_accepted() {
    let (emu, wasm) = served("wasm");

    let r = get(&emu, "/module.wasm", Some("gzip, deflate, br, zstd"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert_eq!(r.header("vary"), Some("Accept-Encoding"));
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    assert!(r.body.len() < wasm.len() / 4, "{} bytes", r.body.len());
    let mut plain = Vec::new();
    brotli::Decompressor::new(&r.body[..], 4096)
        .read_to_end(&mut plain)
        .unwrap();
    assert_eq!(plain, wasm);

    let r = get(&emu, "/module.wasm", Some("gzip, deflate"));
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&r.body[..])
        .read_to_end(&mut plain)
        .unwrap();
    assert_eq!(plain, wasm);

    // Refused codings and no header at all: the file as it is, still marked as varying.
    for accept in [None, Some("br;q=0, gzip;q=0"), Some("identity")] {
        let r = get(&emu, "/module.wasm", accept);
        assert_eq!(r.header("content-encoding"), None, "{accept:?}");
        assert_eq!(r.header("vary"), Some("Accept-Encoding"), "{accept:?}");
        assert_eq!(r.body, wasm, "{accept:?}");
    }

    // HEAD announces the length of the representation a GET would send.
    let head = emu
        .req("HEAD", "/module.wasm")
        .no_auth()
        .header("Accept-Encoding", "gzip")
        .send();
    assert_eq!(head.header("content-encoding"), Some("gzip"));
    let gzip_len = get(&emu, "/module.wasm", Some("gzip")).body.len();
    assert_eq!(head.header("content-length"), Some(gzip_len.to_string().as_str()));
}

#[test]
fn small_and_binary_files_are_sent_as_they_are() {
    let (emu, _) = served("small");
    let r = get(&emu, "/tiny.js", Some("br, gzip"));
    assert_eq!((r.header("content-encoding"), r.text().as_str()), (None, "export {}"));
    let r = get(&emu, "/picture.png", Some("br, gzip"));
    assert_eq!((r.header("content-encoding"), r.header("vary")), (None, None));
    assert_eq!(r.body.len(), 4096);
}

#[test]
fn a_changed_file_is_compressed_again() {
    let (emu, _) = served("changed");
    let file = www_dir("changed").join("changing.js");
    let first = "export const a = 1;\n".repeat(100);
    std::fs::write(&file, &first).unwrap();
    let unzip = |body: &[u8]| {
        let mut s = String::new();
        flate2::read::GzDecoder::new(body).read_to_string(&mut s).unwrap();
        s
    };
    assert_eq!(unzip(&get(&emu, "/changing.js", Some("gzip")).body), first);
    let second = "export const b = 22;\n".repeat(120);
    std::fs::write(&file, &second).unwrap();
    assert_eq!(unzip(&get(&emu, "/changing.js", Some("gzip")).body), second);
}
