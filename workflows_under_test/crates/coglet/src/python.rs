//! The CPython extension module `coglet._coglet`, written against the stable ABI.
//!
//! Only the handful of C-API items the module needs are declared here, by hand, as they
//! are laid out under `Py_LIMITED_API` (Python 3.10+).  Every function used is part of
//! the limited API, so one binary (`_coglet.abi3.so`) loads in every CPython >= 3.10.
#![allow(non_snake_case, non_upper_case_globals)]

use std::ffi::{c_char, c_int, c_void, CStr};
use std::ptr::{self, addr_of_mut};

/// `PyObject` header (`ob_refcnt`, `ob_type`) of a non-debug build.
#[repr(C)]
pub struct PyObject {
    ob_refcnt: isize,
    ob_type: *mut c_void,
}

type PyCFunction = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;

#[repr(C)]
struct PyMethodDef {
    ml_name: *const c_char,
    ml_meth: Option<PyCFunction>,
    ml_flags: c_int,
    ml_doc: *const c_char,
}

#[repr(C)]
struct PyModuleDefBase {
    ob_base: PyObject,
    m_init: Option<unsafe extern "C" fn() -> *mut PyObject>,
    m_index: isize,
    m_copy: *mut PyObject,
}

#[repr(C)]
struct PyModuleDef {
    m_base: PyModuleDefBase,
    m_name: *const c_char,
    m_doc: *const c_char,
    m_size: isize,
    m_methods: *mut PyMethodDef,
    m_slots: *mut c_void,
    m_traverse: *mut c_void,
    m_clear: *mut c_void,
    m_free: *mut c_void,
}

const METH_VARARGS: c_int = 0x0001;
const METH_NOARGS: c_int = 0x0004;
const METH_O: c_int = 0x0008;

/// `PYTHON_API_VERSION` of modsupport.h; the interpreter accepts it or `PYTHON_ABI_VERSION`
/// (3, what `PyModule_Create` passes under `Py_LIMITED_API`) without a warning.
const PYTHON_API_VERSION: c_int = 1013;

extern "C" {
    fn PyModule_Create2(def: *mut PyModuleDef, apiver: c_int) -> *mut PyObject;
    fn PyModule_AddStringConstant(
        module: *mut PyObject,
        name: *const c_char,
        value: *const c_char,
    ) -> c_int;
    fn PyUnicode_FromString(s: *const c_char) -> *mut PyObject;
    fn PyUnicode_FromStringAndSize(s: *const c_char, size: isize) -> *mut PyObject;
    fn PyUnicode_AsUTF8AndSize(unicode: *mut PyObject, size: *mut isize) -> *const c_char;
    fn PyLong_FromLongLong(v: i64) -> *mut PyObject;
    fn PyLong_AsLongLong(obj: *mut PyObject) -> i64;
    fn PyTuple_Size(tuple: *mut PyObject) -> isize;
    fn PyTuple_GetItem(tuple: *mut PyObject, pos: isize) -> *mut PyObject;
    fn PyErr_Occurred() -> *mut PyObject;
    fn PyErr_SetString(exc_type: *mut PyObject, message: *const c_char);
    fn Py_DecRef(obj: *mut PyObject);

    static mut PyExc_TypeError: *mut PyObject;
    static mut PyExc_OverflowError: *mut PyObject;
}

const VERSION_C: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("version contains a NUL byte"),
    };

fn new_str(s: &str) -> *mut PyObject {
    // SAFETY: pointer and length describe a valid UTF-8 buffer.
    unsafe { PyUnicode_FromStringAndSize(s.as_ptr().cast(), s.len() as isize) }
}

/// `version() -> str`: the crate's semver version.
unsafe extern "C" fn py_version(_module: *mut PyObject, _unused: *mut PyObject) -> *mut PyObject {
    PyUnicode_FromString(VERSION_C.as_ptr())
}

/// `greet(name: str) -> str`.
unsafe extern "C" fn py_greet(_module: *mut PyObject, arg: *mut PyObject) -> *mut PyObject {
    let mut size: isize = 0;
    let data = PyUnicode_AsUTF8AndSize(arg, &mut size);
    if data.is_null() {
        return ptr::null_mut(); // TypeError already set
    }
    let bytes = std::slice::from_raw_parts(data.cast::<u8>(), size as usize);
    match std::str::from_utf8(bytes) {
        Ok(name) => new_str(&crate::greeting(name)),
        Err(_) => {
            PyErr_SetString(PyExc_TypeError, c"greet() needs valid UTF-8".as_ptr());
            ptr::null_mut()
        }
    }
}

/// `add(a: int, b: int) -> int`, raising OverflowError outside the 64-bit range.
unsafe extern "C" fn py_add(_module: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    if PyTuple_Size(args) != 2 {
        PyErr_SetString(PyExc_TypeError, c"add() takes exactly 2 arguments".as_ptr());
        return ptr::null_mut();
    }
    let mut values = [0i64; 2];
    for (i, value) in values.iter_mut().enumerate() {
        *value = PyLong_AsLongLong(PyTuple_GetItem(args, i as isize));
        if *value == -1 && !PyErr_Occurred().is_null() {
            return ptr::null_mut(); // TypeError / OverflowError already set
        }
    }
    match crate::checked_add(values[0], values[1]) {
        Some(sum) => PyLong_FromLongLong(sum),
        None => {
            PyErr_SetString(
                PyExc_OverflowError,
                c"add() result does not fit in 64 bits".as_ptr(),
            );
            ptr::null_mut()
        }
    }
}

static mut METHODS: [PyMethodDef; 4] = [
    PyMethodDef {
        ml_name: c"version".as_ptr(),
        ml_meth: Some(py_version),
        ml_flags: METH_NOARGS,
        ml_doc: c"version()\n--\n\nThe coglet crate version (semver).".as_ptr(),
    },
    PyMethodDef {
        ml_name: c"greet".as_ptr(),
        ml_meth: Some(py_greet),
        ml_flags: METH_O,
        ml_doc: c"greet(name)\n--\n\nA greeting from Rust.".as_ptr(),
    },
    PyMethodDef {
        ml_name: c"add".as_ptr(),
        ml_meth: Some(py_add),
        ml_flags: METH_VARARGS,
        ml_doc: c"add(a, b)\n--\n\nAdd two 64-bit integers.".as_ptr(),
    },
    PyMethodDef {
        ml_name: ptr::null(),
        ml_meth: None,
        ml_flags: 0,
        ml_doc: ptr::null(),
    },
];

static mut MODULE_DEF: PyModuleDef = PyModuleDef {
    // PyModuleDef_HEAD_INIT
    m_base: PyModuleDefBase {
        ob_base: PyObject {
            ob_refcnt: 1,
            ob_type: ptr::null_mut(),
        },
        m_init: None,
        m_index: 0,
        m_copy: ptr::null_mut(),
    },
    m_name: c"coglet._coglet".as_ptr(),
    m_doc: c"Rust core of cog (stable ABI extension module).".as_ptr(),
    m_size: -1,
    m_methods: ptr::null_mut(),
    m_slots: ptr::null_mut(),
    m_traverse: ptr::null_mut(),
    m_clear: ptr::null_mut(),
    m_free: ptr::null_mut(),
};

/// Module initialisation function, found by the interpreter by name for
/// `coglet/_coglet.abi3.so`.
///
/// # Safety
/// Called by the CPython import machinery with the GIL held.
#[no_mangle]
pub unsafe extern "C" fn PyInit__coglet() -> *mut PyObject {
    let def = addr_of_mut!(MODULE_DEF);
    (*def).m_methods = addr_of_mut!(METHODS).cast::<PyMethodDef>();
    let module = PyModule_Create2(def, PYTHON_API_VERSION);
    if module.is_null() {
        return module;
    }
    if PyModule_AddStringConstant(module, c"__version__".as_ptr(), VERSION_C.as_ptr()) < 0 {
        Py_DecRef(module);
        return ptr::null_mut();
    }
    module
}
