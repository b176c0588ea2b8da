//! Writes a static ELF64 executable for Linux on x86-64.
//!
//! The file has two loadable segments and no section headers (the kernel needs none):
//!
//! ```text
//! file offset 0, address BASE:  ELF header | 2 program headers | text | rodata   (R X)
//! next page:                     data | bss (zero-filled, not in the file)        (R W)
//! ```
//!
//! The first segment maps the headers too, so that the code starts right after them and a
//! small program is a few kilobytes. The writable segment starts at a page boundary in both
//! the file and memory, which keeps file offsets and addresses congruent modulo the page size
//! as the ELF specification requires.

/// Where the first segment is mapped, as for Go's and most static executables.
pub const BASE: u64 = 0x40_0000;
/// Page size the segments are aligned to.
pub const PAGE: u64 = 0x1000;
/// Size of the ELF header.
const EHDR_SIZE: u64 = 64;
/// Size of one program header.
const PHDR_SIZE: u64 = 56;
/// Bytes before the text: the ELF header and two program headers.
pub const HEADERS_SIZE: u64 = EHDR_SIZE + 2 * PHDR_SIZE;

/// The laid-out contents of an executable, in the bytes of its file: the linker places the
/// units where the file will hold them and [`write`] fills in the headers, so that the
/// code, megabytes for a large program, is copied once rather than twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The file: the headers (left zero until `write`), the text from `HEADERS_SIZE`, and
    /// the data from the page after the text, if there is any.
    file: Vec<u8>,
    text_len: u64,
    data_len: u64,
    /// Zero-initialized bytes after the data.
    pub bss_size: u64,
    /// The address execution starts at.
    pub entry: u64,
}

impl Image {
    /// Returns an image of `text_len` bytes of text and `data_len` bytes of data, all zero,
    /// with no bss and entry 0.
    pub(crate) fn zeroed(text_len: u64, data_len: u64) -> Image {
        let file_len = if data_len == 0 {
            HEADERS_SIZE + text_len
        } else {
            Image::data_offset(text_len) + data_len
        };
        Image {
            file: vec![0; file_len as usize],
            text_len,
            data_len,
            bss_size: 0,
            entry: 0,
        }
    }

    /// Returns the code and read-only data, loaded at [`Image::text_addr`].
    pub fn text(&self) -> &[u8] {
        &self.file[HEADERS_SIZE as usize..(HEADERS_SIZE + self.text_len) as usize]
    }

    /// Returns the text, to place units in.
    pub(crate) fn text_mut(&mut self) -> &mut [u8] {
        &mut self.file[HEADERS_SIZE as usize..(HEADERS_SIZE + self.text_len) as usize]
    }

    /// Returns the initialized writable data, loaded at [`Image::data_addr`]: the end of
    /// the file.
    pub fn data(&self) -> &[u8] {
        &self.file[self.file.len() - self.data_len as usize..]
    }

    /// Returns the data, to place units in.
    pub(crate) fn data_mut(&mut self) -> &mut [u8] {
        let start = self.file.len() - self.data_len as usize;
        &mut self.file[start..]
    }

    /// Returns the file offset of the writable segment for a text of `text_len` bytes.
    fn data_offset(text_len: u64) -> u64 {
        (HEADERS_SIZE + text_len).next_multiple_of(PAGE)
    }

    /// Returns the address of the first text byte.
    pub fn text_addr() -> u64 {
        BASE + HEADERS_SIZE
    }

    /// Returns the address of the writable segment for a text of `text_len` bytes: the first
    /// page boundary after the read-only segment.
    pub fn data_addr(text_len: u64) -> u64 {
        // `BASE` is page-aligned, so addresses and file offsets agree modulo the page.
        BASE + Image::data_offset(text_len)
    }
}

const PT_LOAD: u32 = 1;
const PF_X: u32 = 1;
const PF_W: u32 = 2;
const PF_R: u32 = 4;

/// Returns the bytes of the executable file for `image`: its own, with the headers filled in.
pub fn write(image: Image) -> Vec<u8> {
    let text_end = HEADERS_SIZE + image.text_len;
    let data_offset = Image::data_offset(image.text_len);
    let data_addr = Image::data_addr(image.text_len);
    let mut out = Vec::with_capacity(HEADERS_SIZE as usize);

    // ELF header.
    out.extend_from_slice(&[0x7f, b'E', b'L', b'F']);
    out.push(2); // ELFCLASS64
    out.push(1); // ELFDATA2LSB
    out.push(1); // EV_CURRENT
    out.push(0); // ELFOSABI_SYSV
    out.extend_from_slice(&[0; 8]); // ABI version and padding
    out.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    out.extend_from_slice(&62u16.to_le_bytes()); // EM_X86_64
    out.extend_from_slice(&1u32.to_le_bytes()); // EV_CURRENT
    out.extend_from_slice(&image.entry.to_le_bytes());
    out.extend_from_slice(&EHDR_SIZE.to_le_bytes()); // program headers follow the header
    out.extend_from_slice(&0u64.to_le_bytes()); // no section headers
    out.extend_from_slice(&0u32.to_le_bytes()); // flags
    out.extend_from_slice(&(EHDR_SIZE as u16).to_le_bytes());
    out.extend_from_slice(&(PHDR_SIZE as u16).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes()); // program header count
    out.extend_from_slice(&64u16.to_le_bytes()); // section header entry size
    out.extend_from_slice(&0u16.to_le_bytes()); // section header count
    out.extend_from_slice(&0u16.to_le_bytes()); // section name table index
    debug_assert_eq!(out.len() as u64, EHDR_SIZE);

    // The read-only segment maps the file from its start.
    program_header(&mut out, PF_R | PF_X, 0, BASE, text_end, text_end);
    // The writable segment; its memory is longer than its file image by the bss.
    let data_len = image.data_len;
    program_header(
        &mut out,
        PF_R | PF_W,
        data_offset,
        data_addr,
        data_len,
        data_len + image.bss_size,
    );
    debug_assert_eq!(out.len() as u64, HEADERS_SIZE);

    // Without initialized data the file ends with the text (`Image::zeroed`): the writable
    // segment is all bss.
    let mut file = image.file;
    file[..HEADERS_SIZE as usize].copy_from_slice(&out);
    file
}

fn program_header(
    out: &mut Vec<u8>,
    flags: u32,
    offset: u64,
    addr: u64,
    file_size: u64,
    mem_size: u64,
) {
    out.extend_from_slice(&PT_LOAD.to_le_bytes());
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(&offset.to_le_bytes());
    out.extend_from_slice(&addr.to_le_bytes()); // virtual address
    out.extend_from_slice(&addr.to_le_bytes()); // physical address, unused
    out.extend_from_slice(&file_size.to_le_bytes());
    out.extend_from_slice(&mem_size.to_le_bytes());
    out.extend_from_slice(&PAGE.to_le_bytes());
}
