//! Tests of the linker: layout, relocations, and executables that really run.

use super::*;

fn code(name: &str, bytes: &[u8], relocs: Vec<Reloc>) -> Unit {
    Unit {
        name: name.to_string().into(),
        section: Section::Code,
        align: 16,
        bytes: bytes.to_vec(),
        relocs,
    }
}

/// `write(1, msg, 3); call exit42`, then `exit42: exit(42)`, and the message "hi\n".
fn hello_units() -> Vec<Unit> {
    let start = [
        0xb8, 0x01, 0x00, 0x00, 0x00, // mov eax, 1 (write)
        0xbf, 0x01, 0x00, 0x00, 0x00, // mov edi, 1 (stdout)
        0x48, 0x8d, 0x35, 0x00, 0x00, 0x00, 0x00, // lea rsi, [rip + msg]
        0xba, 0x03, 0x00, 0x00, 0x00, // mov edx, 3
        0x0f, 0x05, // syscall
        0xe8, 0x00, 0x00, 0x00, 0x00, // call exit42
    ];
    let exit42 = [
        0xbf, 0x2a, 0x00, 0x00, 0x00, // mov edi, 42
        0xb8, 0x3c, 0x00, 0x00, 0x00, // mov eax, 60 (exit)
        0x0f, 0x05, // syscall
    ];
    let pc32 = |offset, target| Reloc {
        offset,
        kind: RelocKind::Pc32,
        target: SymId(target),
        addend: -4,
    };
    vec![
        Unit {
            name: "msg".to_string().into(),
            section: Section::ReadOnly,
            align: 1,
            bytes: b"hi\n".to_vec(),
            relocs: Vec::new(),
        },
        code("start", &start, vec![pc32(13, 0), pc32(25, 2)]),
        code("exit42", &exit42, Vec::new()),
    ]
}

#[test]
fn code_comes_before_read_only_data_whatever_the_order_given() {
    let image = link(&hello_units(), SymId(1)).expect("links");
    let text_addr = Image::text_addr();
    assert_eq!(image.entry, text_addr);
    // start (29 bytes), exit42 aligned to 16, then the message.
    assert_eq!(&image.text()[32..44], &hello_units()[2].bytes[..]);
    assert_eq!(&image.text()[44..47], b"hi\n");
    // The call's displacement reaches exit42 from the end of the call instruction.
    let call = i32::from_le_bytes(image.text()[25..29].try_into().expect("4 bytes"));
    assert_eq!(i64::from(call), 32 - 29);
}

#[test]
fn relocation_errors_name_the_unit() {
    let mut units = hello_units();
    units[1].relocs[0].target = SymId(9);
    assert_eq!(
        link(&units, SymId(1)),
        Err(LinkError::UnknownSymbol {
            from: "start".to_string(),
            target: 9
        })
    );
    let mut units = hello_units();
    units[1].relocs[0].offset = 27;
    assert!(matches!(
        link(&units, SymId(1)),
        Err(LinkError::FieldOutOfUnit { .. })
    ));
}

#[test]
fn data_and_bss_follow_on_the_next_page() {
    let mut units = hello_units();
    units.push(Unit {
        name: "counter".to_string().into(),
        section: Section::Data,
        align: 8,
        bytes: vec![0; 8],
        relocs: vec![Reloc {
            offset: 0,
            kind: RelocKind::Abs64,
            target: SymId(0),
            addend: 1,
        }],
    });
    units.push(Unit {
        name: "zeros".to_string().into(),
        section: Section::Bss { size: 100 },
        align: 8,
        bytes: Vec::new(),
        relocs: Vec::new(),
    });
    let image = link(&units, SymId(1)).expect("links");
    let msg_addr = Image::text_addr() + 44;
    assert_eq!(image.data(), (msg_addr + 1).to_le_bytes());
    assert_eq!(image.bss_size, 100);
    let file = crate::obj::elf::write(image);
    assert_eq!(file.len() as u64, crate::obj::elf::PAGE + 8);
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[test]
fn linked_executable_runs() {
    use std::os::unix::fs::PermissionsExt;

    let image = link(&hello_units(), SymId(1)).expect("links");
    let file = crate::obj::elf::write(image);
    let dir = std::env::temp_dir().join(format!("toyc-link-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join("hello");
    std::fs::write(&path, &file).expect("the executable is written");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
        .expect("the executable is made executable");
    let output = std::process::Command::new(&path)
        .output()
        .expect("the executable runs");
    std::fs::remove_dir_all(&dir).expect("the temporary directory is removed");
    assert_eq!(output.status.code(), Some(42));
    assert_eq!(output.stdout, b"hi\n");
    assert!(file.len() < 4096, "{} bytes", file.len());
}
