/*
 * gazetteer._hashes: whether a sorted table of 32-bit hashes holds a key's, in C.
 *
 * gazetteer.store answers most "is this word a name?" questions without a
 * query: the store holds the sorted CRC-32s of the UTF-8 of all its keys
 * (key_hashes, and of the transliteration skeletons, variant_hashes), and a
 * key whose hash is not among them is no key. store._hash_in searches them
 * in Python (interpolation search); compiled, each probe still boxes the
 * hash it reads, a few thousand instructions a question, and a recogniser
 * asks tens of thousands of them on new text. hash_in answers the same
 * question the same way over the raw buffer, and key_in also makes the hash
 * (zlib's CRC-32 of the UTF-8) without building the bytes.
 *
 * Membership has one answer, however the table is searched: the fallback in
 * Python and this give the same results, which tests/gazetteer/test_store_hashes.py
 * checks on arbitrary tables and keys.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

static uint32_t crc_table[256];

static void
make_crc_table(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t
crc32_of(const unsigned char *p, Py_ssize_t n)
{
    uint32_t c = 0xFFFFFFFFU;
    for (Py_ssize_t i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFU;
}

static inline uint32_t
at(const char *base, Py_ssize_t i)
{
    uint32_t v;
    memcpy(&v, base + 4 * i, 4);
    return v;
}

/* Whether the n sorted hashes at base hold h: interpolation search, as
 * store._hash_in, then bisection of what is left. */
static int
search(const char *base, Py_ssize_t n, uint32_t h)
{
    if (n == 0)
        return 0;
    Py_ssize_t lo = 0, hi = n - 1;
    uint32_t a = at(base, lo), b = at(base, hi);
    if (h <= a)
        return h == a;
    if (h >= b)
        return h == b;
    for (int guess = 0; guess < 24; guess++) {
        if (hi - lo <= 1)
            return 0;
        Py_ssize_t mid = lo + (Py_ssize_t)((uint64_t)(h - a) * (uint64_t)(hi - lo) / (uint64_t)(b - a));
        if (mid <= lo)
            mid = lo + 1;
        else if (mid >= hi)
            mid = hi - 1;
        uint32_t v = at(base, mid);
        if (v == h)
            return 1;
        if (v < h) {
            lo = mid;
            a = v;
        }
        else {
            hi = mid;
            b = v;
        }
    }
    /* a = hashes[lo] < h < b = hashes[hi] */
    Py_ssize_t l = lo + 1, r = hi;
    while (l < r) {
        Py_ssize_t m = l + (r - l) / 2;
        if (at(base, m) < h)
            l = m + 1;
        else
            r = m;
    }
    return l < hi && at(base, l) == h;
}

/* The buffer of 4-byte hashes, or -1 with an exception. */
static int
get_hashes(PyObject *obj, Py_buffer *view)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_SIMPLE) < 0)
        return -1;
    if (view->len % 4 != 0) {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_ValueError, "hashes: the buffer's length is not a multiple of 4");
        return -1;
    }
    return 0;
}

static PyObject *
hash_in(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "hash_in(hashes, h) takes 2 arguments");
        return NULL;
    }
    unsigned long long h = PyLong_AsUnsignedLongLong(args[1]);
    if (h == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    Py_buffer view;
    if (get_hashes(args[0], &view) < 0)
        return NULL;
    int found = h <= UINT32_MAX && search(view.buf, view.len / 4, (uint32_t)h);
    PyBuffer_Release(&view);
    return PyBool_FromLong(found);
}

static PyObject *
key_in(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "key_in(hashes, key) takes 2 arguments");
        return NULL;
    }
    if (!PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "key_in: the key must be a str");
        return NULL;
    }
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(args[1], &size);
    if (utf8 == NULL)
        return NULL;            /* a lone surrogate: as str.encode("utf-8"), an error */
    Py_buffer view;
    if (get_hashes(args[0], &view) < 0)
        return NULL;
    int found = search(view.buf, view.len / 4, crc32_of((const unsigned char *)utf8, size));
    PyBuffer_Release(&view);
    return PyBool_FromLong(found);
}

static PyMethodDef methods[] = {
    {"hash_in", (PyCFunction)(void (*)(void))hash_in, METH_FASTCALL,
     "hash_in(hashes, h): whether the sorted native 32-bit hashes (a buffer) hold h."},
    {"key_in", (PyCFunction)(void (*)(void))key_in, METH_FASTCALL,
     "key_in(hashes, key): hash_in(hashes, zlib.crc32(key.encode('utf-8')))."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "gazetteer._hashes",
    "Whether a sorted table of 32-bit hashes holds a key's (see gazetteer.store).",
    0, methods,
};

PyMODINIT_FUNC
PyInit__hashes(void)
{
    make_crc_table();
    return PyModule_Create(&module_def);
}
