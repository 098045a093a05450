/*
 * geomap._typos: the recogniser's typo index, in C.
 *
 * geomap.recognize finds a prominent name one typo away from a word with a
 * deletion index: every name, and every name less one character, maps to the
 * first name (in list order) that makes it (_deletion_index, a dict), and
 * _one_edit looks up the word and the word less each of its characters. The
 * dict holds a quarter of a million strings, which every worker process
 * would build (0.07 s). TypoIndex answers the same lookups with the same
 * results from a table of hashes, made without building a string:
 *
 *   - each entry is (hash, name, position): the name itself (position -1) or
 *     the name less its character at position, the hash that of the string
 *     it stands for (a polynomial over the code points, from prefix and
 *     suffix hashes);
 *   - entries go into an open-addressing table in the order the dict gets
 *     them; a lookup walks the probe sequence from the hash's slot and takes
 *     the first entry whose string is, character by character, the one
 *     looked up: the first name that makes it, as dict.setdefault keeps.
 *
 * Hashes only find entries: every answer is checked against the characters,
 * so a collision costs time, never a wrong answer. tests/geomap/test_recognize.py
 * compares TypoIndex with the dict and _one_edit on the prominent names and on
 * arbitrary ones.
 *
 * It also holds the recogniser's span maker (SlotMaker, made by slot_maker):
 * a kept match becomes a geomap.spans.Span, a frozen class with __slots__,
 * without its __init__; in Python that is object.__new__ and a call of each
 * slot's descriptor (seven calls, most of the cost of a kept span), here one
 * call that allocates the object and stores its slots.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>

/* the polynomial's base, odd; the hash of c0..cn-1 is sum (ci + 1) * B^(n-1-i) */
#define BASE 0x100000001B3ULL
#define EMPTY UINT32_MAX

typedef struct {
    uint64_t hash;
    uint32_t name;        /* index into names, EMPTY for a free slot */
    int32_t pos;          /* the character left out, -1 for the name itself */
} Entry;

typedef struct {
    PyObject_HEAD
    PyObject *names;      /* tuple of str */
    Entry *table;
    size_t mask;
    Py_ssize_t size;      /* entries */
    Py_ssize_t longest;   /* the longest name */
} TypoIndex;

static inline size_t
slot_of(uint64_t h, size_t mask)
{
    h ^= h >> 31;
    h *= 0x9E3779B97F4A7C15ULL;
    h ^= h >> 29;
    return (size_t)h & mask;
}

/* The powers of BASE and the prefix and suffix hashes of s, into the arrays
 * (n + 1 each): pre[k] = hash(s[:k]), suf[k] = hash(s[k:]), pw[k] = B^k. */
static void
hashes(int kind, const void *data, Py_ssize_t n, uint64_t *pw, uint64_t *pre, uint64_t *suf)
{
    pw[0] = 1;
    pre[0] = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        pw[i + 1] = pw[i] * BASE;
        pre[i + 1] = pre[i] * BASE + (uint64_t)PyUnicode_READ(kind, data, i) + 1;
    }
    suf[n] = 0;
    for (Py_ssize_t i = n - 1; i >= 0; i--)
        suf[i] = ((uint64_t)PyUnicode_READ(kind, data, i) + 1) * pw[n - 1 - i] + suf[i + 1];
}

/* hash(s less its character k), from the arrays of hashes() */
static inline uint64_t
deletion_hash(Py_ssize_t n, Py_ssize_t k, const uint64_t *pw, const uint64_t *pre,
              const uint64_t *suf)
{
    return pre[k] * pw[n - 1 - k] + suf[k + 1];
}

/* Is the string of entry e the string t less its character skip (skip -1: t itself)? */
static int
entry_is(TypoIndex *self, const Entry *e, PyObject *t, Py_ssize_t skip)
{
    PyObject *name = PyTuple_GET_ITEM(self->names, e->name);
    Py_ssize_t nn = PyUnicode_GET_LENGTH(name) - (e->pos >= 0);
    Py_ssize_t tn = PyUnicode_GET_LENGTH(t) - (skip >= 0);
    if (nn != tn)
        return 0;
    int nk = PyUnicode_KIND(name), tk = PyUnicode_KIND(t);
    const void *nd = PyUnicode_DATA(name), *td = PyUnicode_DATA(t);
    for (Py_ssize_t i = 0; i < nn; i++) {
        Py_ssize_t a = (e->pos >= 0 && i >= e->pos) ? i + 1 : i;
        Py_ssize_t b = (skip >= 0 && i >= skip) ? i + 1 : i;
        if (PyUnicode_READ(nk, nd, a) != PyUnicode_READ(tk, td, b))
            return 0;
    }
    return 1;
}

/* The name of the first entry that is t less its character skip, or NULL (no error). */
static PyObject *
find(TypoIndex *self, uint64_t h, PyObject *t, Py_ssize_t skip)
{
    size_t i = slot_of(h, self->mask);
    while (self->table[i].name != EMPTY) {
        const Entry *e = &self->table[i];
        if (e->hash == h && entry_is(self, e, t, skip))
            return PyTuple_GET_ITEM(self->names, e->name);
        i = (i + 1) & self->mask;
    }
    return NULL;
}

static void
insert(TypoIndex *self, uint64_t h, uint32_t name, int32_t pos)
{
    size_t i = slot_of(h, self->mask);
    while (self->table[i].name != EMPTY)
        i = (i + 1) & self->mask;
    self->table[i].hash = h;
    self->table[i].name = name;
    self->table[i].pos = pos;
}

/* Scratch arrays for the hashes of a string of n characters. */
static uint64_t *
scratch(Py_ssize_t n)
{
    uint64_t *a = PyMem_Malloc(sizeof(uint64_t) * 3 * (size_t)(n + 1));
    if (a == NULL)
        PyErr_NoMemory();
    return a;
}

/* The hashes of the str t (see hashes()) in fresh arrays, to free with
 * PyMem_Free; NULL with an error set when t is no str. */
static uint64_t *
hashed(PyObject *t, const char *method)
{
    if (!PyUnicode_Check(t)) {
        PyErr_Format(PyExc_TypeError, "%s() expects str, not %.100s", method, Py_TYPE(t)->tp_name);
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(t);
    uint64_t *a = scratch(n);
    if (a != NULL)
        hashes(PyUnicode_KIND(t), PyUnicode_DATA(t), n, a, a + (n + 1), a + 2 * (n + 1));
    return a;
}

static int
TypoIndex_init(TypoIndex *self, PyObject *args, PyObject *kwds)
{
    PyObject *source;
    if (!PyArg_ParseTuple(args, "O:TypoIndex", &source))
        return -1;
    PyObject *names = PySequence_Tuple(source);
    if (names == NULL)
        return -1;
    Py_ssize_t count = PyTuple_GET_SIZE(names), entries = 0, longest = 0;
    for (Py_ssize_t j = 0; j < count; j++) {
        PyObject *name = PyTuple_GET_ITEM(names, j);
        if (!PyUnicode_Check(name)) {
            PyErr_Format(PyExc_TypeError, "TypoIndex expects names (str), not %.100s",
                         Py_TYPE(name)->tp_name);
            Py_DECREF(names);
            return -1;
        }
        Py_ssize_t n = PyUnicode_GET_LENGTH(name);
        entries += n + 1;
        if (n > longest)
            longest = n;
    }
    if (count >= (Py_ssize_t)EMPTY || longest >= INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "too many or too long names");
        Py_DECREF(names);
        return -1;
    }
    size_t slots = 16;
    while (slots < 2 * (size_t)entries)
        slots *= 2;
    Entry *table = PyMem_Malloc(sizeof(Entry) * slots);
    uint64_t *a = scratch(longest);
    if (table == NULL || a == NULL) {
        PyMem_Free(table);
        PyMem_Free(a);
        Py_DECREF(names);
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; i < slots; i++)
        table[i].name = EMPTY;
    Py_XSETREF(self->names, names);
    PyMem_Free(self->table);
    self->table = table;
    self->mask = slots - 1;
    self->size = entries;
    self->longest = longest;
    uint64_t *pw = a, *pre = a + (longest + 1), *suf = a + 2 * (longest + 1);
    /* in the dict's order: each name, then the name less each of its characters */
    for (Py_ssize_t j = 0; j < count; j++) {
        PyObject *name = PyTuple_GET_ITEM(names, j);
        Py_ssize_t n = PyUnicode_GET_LENGTH(name);
        hashes(PyUnicode_KIND(name), PyUnicode_DATA(name), n, pw, pre, suf);
        insert(self, pre[n], (uint32_t)j, -1);
        for (Py_ssize_t k = 0; k < n; k++)
            insert(self, deletion_hash(n, k, pw, pre, suf), (uint32_t)j, (int32_t)k);
    }
    PyMem_Free(a);
    return 0;
}

static void
TypoIndex_dealloc(TypoIndex *self)
{
    Py_XDECREF(self->names);
    PyMem_Free(self->table);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static Py_ssize_t
TypoIndex_len(TypoIndex *self)
{
    return self->table == NULL ? 0 : self->size;
}

PyDoc_STRVAR(get_doc,
"get(text, /)\n--\n\n"
"The first name that is text, or is text with one more character (the\n"
"value of text in the deletion dict), or None.");

static PyObject *
TypoIndex_get(TypoIndex *self, PyObject *text)
{
    uint64_t *a = hashed(text, "get");
    if (a == NULL)
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *hit = self->table == NULL ? NULL : find(self, a[(n + 1) + n], text, -1);
    PyMem_Free(a);
    if (hit == NULL)
        Py_RETURN_NONE;
    return Py_NewRef(hit);
}

PyDoc_STRVAR(one_edit_doc,
"one_edit(key, /)\n--\n\n"
"geomap.recognize._one_edit(key, index) for this index: a name within one\n"
"insertion, deletion or substitution of key, or None.");

static PyObject *
TypoIndex_one_edit(TypoIndex *self, PyObject *key)
{
    uint64_t *a = hashed(key, "one_edit");
    if (a == NULL)
        return NULL;
    if (self->table == NULL) {
        PyMem_Free(a);
        Py_RETURN_NONE;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(key);
    uint64_t *pw = a, *pre = a + (n + 1), *suf = a + 2 * (n + 1);
    PyObject *result = NULL;
    /* key is a name with one letter missing */
    PyObject *hit = find(self, pre[n], key, -1);
    if (hit != NULL && PyUnicode_Compare(hit, key) != 0) {
        result = hit;
    }
    else {
        for (Py_ssize_t k = 0; k < n && result == NULL; k++) {
            hit = find(self, deletion_hash(n, k, pw, pre, suf), key, k);
            if (hit != NULL) {
                Py_ssize_t d = PyUnicode_GET_LENGTH(hit) - n;
                if (d >= -1 && d <= 1 && PyUnicode_Compare(hit, key) != 0)
                    result = hit;
            }
        }
    }
    PyMem_Free(a);
    if (result == NULL)
        Py_RETURN_NONE;
    return Py_NewRef(result);
}

static PyMethodDef TypoIndex_methods[] = {
    {"get", (PyCFunction)TypoIndex_get, METH_O, get_doc},
    {"one_edit", (PyCFunction)TypoIndex_one_edit, METH_O, one_edit_doc},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods TypoIndex_as_sequence = {
    .sq_length = (lenfunc)TypoIndex_len,
};

PyDoc_STRVAR(TypoIndex_doc,
"TypoIndex(names, /)\n--\n\n"
"The deletion index of names (geomap.recognize._deletion_index), as a\n"
"table of hashes; len() is its number of entries.");

static PyTypeObject TypoIndexType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "geomap._typos.TypoIndex",
    .tp_doc = TypoIndex_doc,
    .tp_basicsize = sizeof(TypoIndex),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)TypoIndex_init,
    .tp_dealloc = (destructor)TypoIndex_dealloc,
    .tp_methods = TypoIndex_methods,
    .tp_as_sequence = &TypoIndex_as_sequence,
};

/* ---- SlotMaker --------------------------------------------------------- */

#define MAX_SLOTS 16

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyTypeObject *cls;
    Py_ssize_t n;
    Py_ssize_t offsets[MAX_SLOTS];
} SlotMaker;

static PyObject *
SlotMaker_call(SlotMaker *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs != self->n || (kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0)) {
        PyErr_Format(PyExc_TypeError, "%.100s maker takes %zd positional arguments, not %zd",
                     self->cls->tp_name, self->n, nargs);
        return NULL;
    }
    PyTypeObject *cls = self->cls;
    PyObject *obj = cls->tp_alloc(cls, 0);
    if (obj == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        PyObject **slot = (PyObject **)((char *)obj + self->offsets[i]);
        Py_INCREF(args[i]);
        Py_XSETREF(*slot, args[i]);
    }
    return obj;
}

static void
SlotMaker_dealloc(SlotMaker *self)
{
    Py_XDECREF(self->cls);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

PyDoc_STRVAR(SlotMaker_doc,
"A maker of instances of a class with __slots__ (see slot_maker): called\n"
"with one value per slot named, in order, it returns a new instance with\n"
"those slots set, without calling the class's __new__ or __init__.");

static PyTypeObject SlotMakerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "geomap._typos.SlotMaker",
    .tp_doc = SlotMaker_doc,
    .tp_basicsize = sizeof(SlotMaker),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_vectorcall_offset = offsetof(SlotMaker, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_dealloc = (destructor)SlotMaker_dealloc,
};

PyDoc_STRVAR(slot_maker_doc,
"slot_maker(cls, names, /)\n--\n\n"
"A SlotMaker of instances of cls, a class whose instances have only\n"
"__slots__ (no __dict__), setting the slots named by the tuple names\n"
"(writable object slots of cls or a base, each named once) from its\n"
"arguments in that order; the others are left unset, as object.__new__\n"
"leaves them.");

static PyObject *
slot_maker(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyType_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "slot_maker() expects a class and a tuple of names");
        return NULL;
    }
    PyTypeObject *cls = (PyTypeObject *)args[0];
    PyObject *names = args[1];
    Py_ssize_t n = PyTuple_GET_SIZE(names);
    if (n > MAX_SLOTS) {
        PyErr_Format(PyExc_ValueError, "slot_maker() takes at most %d names", MAX_SLOTS);
        return NULL;
    }
    if (cls->tp_dictoffset != 0 || cls->tp_itemsize != 0 || cls->tp_alloc == NULL
            || cls->tp_new == NULL) {
        PyErr_Format(PyExc_TypeError, "%.100s: instances must have __slots__ only",
                     cls->tp_name);
        return NULL;
    }
    SlotMaker *self = PyObject_New(SlotMaker, &SlotMakerType);
    if (self == NULL)
        return NULL;
    self->vectorcall = (vectorcallfunc)SlotMaker_call;
    Py_INCREF(cls);
    self->cls = cls;
    self->n = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *name = PyTuple_GET_ITEM(names, i);
        if (!PyUnicode_Check(name)) {
            PyErr_SetString(PyExc_TypeError, "slot_maker() names must be str");
            goto fail;
        }
        PyObject *d = _PyType_Lookup(cls, name);       /* borrowed */
        if (d == NULL || !Py_IS_TYPE(d, &PyMemberDescr_Type)) {
            PyErr_Format(PyExc_ValueError, "%.100s has no slot %R", cls->tp_name, name);
            goto fail;
        }
        PyMemberDef *m = ((PyMemberDescrObject *)d)->d_member;
        if (m->type != T_OBJECT_EX || (m->flags & READONLY)
                || !PyType_IsSubtype(cls, PyDescr_TYPE(d))
                || m->offset < (Py_ssize_t)sizeof(PyObject)
                || m->offset + (Py_ssize_t)sizeof(PyObject *) > cls->tp_basicsize) {
            PyErr_Format(PyExc_ValueError, "%.100s: %R is no writable object slot",
                         cls->tp_name, name);
            goto fail;
        }
        for (Py_ssize_t j = 0; j < i; j++)
            if (self->offsets[j] == m->offset) {
                PyErr_Format(PyExc_ValueError, "slot %R named twice", name);
                goto fail;
            }
        self->offsets[i] = m->offset;
        self->n = i + 1;
    }
    return (PyObject *)self;
fail:
    Py_DECREF(self);
    return NULL;
}

static PyMethodDef typos_methods[] = {
    {"slot_maker", (PyCFunction)(void (*)(void))slot_maker, METH_FASTCALL, slot_maker_doc},
    {NULL, NULL, 0, NULL},
};

static int
typos_exec(PyObject *module)
{
    if (PyType_Ready(&SlotMakerType) < 0)
        return -1;
    if (PyType_Ready(&TypoIndexType) < 0)
        return -1;
    Py_INCREF(&TypoIndexType);
    if (PyModule_AddObject(module, "TypoIndex", (PyObject *)&TypoIndexType) < 0) {
        Py_DECREF(&TypoIndexType);
        return -1;
    }
    return 0;
}

static PyModuleDef_Slot typos_slots[] = {
    {Py_mod_exec, typos_exec},
#if PY_VERSION_HEX >= 0x030C0000
    /* a static type: one per process */
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
#endif
    {0, NULL},
};

static struct PyModuleDef typos_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "geomap._typos",
    .m_doc = "The recogniser's typo index and span maker, in C (see geomap/_typos.c).",
    .m_size = 0,
    .m_methods = typos_methods,
    .m_slots = typos_slots,
};

PyMODINIT_FUNC
PyInit__typos(void)
{
    return PyModuleDef_Init(&typos_module);
}
