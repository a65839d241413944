//! The binary's allocator: mimalloc, asked for an ordinary block whenever the standard alignment
//! covers the layout, as Rust's `System` allocator asks `malloc`. (The `mimalloc` crate's
//! allocator asks for an aligned block every time; its aligned path costs about twice the
//! instructions of the ordinary one, and the engine makes some three million small allocations
//! on the corpus.)

use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// mimalloc's `MI_MAX_ALIGN_SIZE` on 64-bit targets: every block of at least this size starts
/// at a multiple of it, and smaller blocks (8 bytes) at a multiple of 8.
const MAX_ALIGN: usize = 16;

/// A layout an ordinary block satisfies: an alignment within `MAX_ALIGN` and at most the size
/// (a size is a multiple of its alignment, so a block smaller than 16 bytes needs at most 8).
fn ordinary(align: usize, size: usize) -> bool {
    align <= MAX_ALIGN && align <= size
}

/// Turns transparent huge pages off for this process, whatever the kernel's default: a first
/// touch of memory then faults in 4 KiB, not 2 MiB. A run touches half the memory, and a run
/// after a pause (a hook, a CI step) no longer waits for fresh huge pages (BENCHMARKS.md, "A run
/// after a pause"). mimalloc is built not to ask for them (`no_thp`), which is enough where the
/// kernel gives them only when asked (`enabled=madvise`); this covers `enabled=always`.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: `prctl` with `PR_SET_THP_DISABLE` reads its integer arguments only. A kernel
    // without it returns an error, and nothing changes.
    unsafe {
        let zero: libc::c_ulong = 0;
        libc::prctl(
            libc::PR_SET_THP_DISABLE,
            1 as libc::c_ulong,
            zero,
            zero,
            zero,
        );
    }
}

pub struct Mimalloc;

// SAFETY: every block comes from mimalloc and goes back to it (`mi_free` and `mi_realloc` take
// blocks from either kind of allocation), aligned as the layout asks (see `ordinary`).
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        let block = if ordinary(align, size) {
            mi::mi_malloc(size)
        } else {
            mi::mi_malloc_aligned(size, align)
        };
        block.cast()
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        let block = if ordinary(align, size) {
            mi::mi_zalloc(size)
        } else {
            mi::mi_zalloc_aligned(size, align)
        };
        block.cast()
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi::mi_free(ptr.cast::<c_void>());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        let block = if ordinary(align, new_size) {
            mi::mi_realloc(ptr.cast::<c_void>(), new_size)
        } else {
            mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, align)
        };
        block.cast()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every alignment up to a page, for sizes around each: the block is aligned as asked,
    /// usable to its end, and keeps its bytes when it grows or shrinks.
    #[test]
    fn blocks_are_aligned_as_asked_and_keep_their_bytes() {
        let a = Mimalloc;
        for align in (0..13).map(|s| 1usize << s) {
            for size in [
                align,
                align + 1,
                2 * align,
                3 * align,
                24,
                40,
                56,
                100,
                4096 + 8,
            ] {
                let Ok(layout) = Layout::from_size_align(size, align) else {
                    continue;
                };
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size}, align {align}");
                    p.write_bytes(0xa5, size);
                    let q = a.realloc(p, layout, size * 3);
                    assert_eq!(q as usize % align, 0, "grown: size {size}, align {align}");
                    assert!((0..size).all(|i| *q.add(i) == 0xa5));
                    let r = a.realloc(q, Layout::from_size_align(size * 3, align).unwrap(), size);
                    assert_eq!(r as usize % align, 0, "shrunk: size {size}, align {align}");
                    assert!((0..size).all(|i| *r.add(i) == 0xa5));
                    a.dealloc(r, layout);
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0);
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }

    /// The process's own switch, read back from the kernel.
    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_are_off_once_turned_off() {
        no_huge_pages();
        let zero: libc::c_ulong = 0;
        // SAFETY: as in `no_huge_pages`; `PR_GET_THP_DISABLE` returns the flag.
        let off = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, zero, zero, zero, zero) };
        assert_eq!(off, 1);
    }
}
