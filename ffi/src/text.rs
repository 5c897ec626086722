//! Strings across the boundary: borrowed C strings in, copies into caller
//! buffers out.

use std::ffi::{c_char, CStr};

use crate::entry::{Failure, Outcome};
use crate::status::gc_status;

/// A required UTF-8 C string argument.
pub(crate) fn arg<'a>(p: *const c_char, what: &str) -> Result<&'a str, Failure> {
    if p.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: the caller passes a NUL-terminated string valid for the call.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| Failure::invalid(format!("`{what}` is not valid UTF-8")))
}

/// An optional string argument: NULL means absent.
pub(crate) fn opt_arg<'a>(p: *const c_char, what: &str) -> Result<Option<&'a str>, Failure> {
    if p.is_null() {
        Ok(None)
    } else {
        arg(p, what).map(Some)
    }
}

/// Copies `s` and a NUL into `buf[..len]`. `*out_len` (when not NULL) gets
/// `s.len()`. `buf = NULL, len = 0` only asks for the length. A too-small
/// buffer gets an empty string and `GC_ERR_BUFFER_TOO_SMALL`.
pub(crate) fn write_str(s: &str, buf: *mut c_char, len: usize, out_len: *mut usize) -> Outcome {
    if !out_len.is_null() {
        // SAFETY: non-NULL out-pointers are writable per the header's contract.
        unsafe { *out_len = s.len() };
    }
    if buf.is_null() {
        if len == 0 && !out_len.is_null() {
            return Ok(());
        }
        return Err(Failure::null("buf"));
    }
    if len < s.len() + 1 {
        if len > 0 {
            // SAFETY: buf has at least one writable byte.
            unsafe { *buf = 0 };
        }
        return Err(Failure::new(
            gc_status::GC_ERR_BUFFER_TOO_SMALL,
            format!("buffer of {len} bytes too small: {} needed", s.len() + 1),
        ));
    }
    // SAFETY: buf has `len >= s.len() + 1` writable bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(s.as_ptr(), buf.cast::<u8>(), s.len());
        *buf.add(s.len()) = 0;
    }
    Ok(())
}

/// Writes through a required out-pointer.
pub(crate) fn put<T>(out: *mut T, value: T, what: &str) -> Outcome {
    if out.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: non-NULL and writable per the header's contract.
    unsafe { out.write(value) };
    Ok(())
}
