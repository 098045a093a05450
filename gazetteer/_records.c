/*
 * gazetteer._records: make a frozen slotted value object from its fields, in C.
 *
 * gazetteer.store makes a Place and a Candidate for every names row it reads
 * (a recogniser reads some ten thousand on new text). Their dataclass
 * __init__ sets each field through object.__setattr__, since they are
 * frozen; store._new_place does without it, by calling each slot
 * descriptor's __set__ in turn, still one Python call a field. maker(cls)
 * returns a callable that does what store._new_place does for cls: allocate
 * the object as object.__new__(cls) does, then store each argument in the
 * slot of the field of the same position, in the order of cls.__slots__.
 *
 * The objects are left untracked by the cyclic garbage collector when none
 * of their fields is a tracked object (see maker_vectorcall).
 *
 * Only a class whose __slots__ are all plain object slots of its own (a
 * slotted dataclass without a base that has fields) is accepted; anything
 * else is a TypeError at maker(cls), so that the caller falls back to Python.
 * tests/gazetteer/test_store.py compares the objects with the __init__'s.
 *
 * unpack(data, new_place, new_candidate, kinds, sources) decodes one row of
 * the store's names table: all the candidates of a key packed in one blob
 * (the format is gazetteer.schema's, which pack_entries writes and
 * unpack_entries reads in Python), so that sqlite3 makes one bytes object a
 * key instead of one object a column a candidate. Every read is checked
 * against the blob's end; a blob no build writes is a ValueError.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    PyObject_HEAD
    PyTypeObject *cls;
    Py_ssize_t n;
    Py_ssize_t *offsets;
    vectorcallfunc vectorcall;
} Maker;

static PyObject *
maker_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Maker *m = (Maker *)self;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs != m->n || (kwnames != NULL && PyTuple_GET_SIZE(kwnames) != 0)) {
        PyErr_Format(PyExc_TypeError, "%s maker takes exactly %zd positional arguments (%zd given)",
                     m->cls->tp_name, m->n, nargs);
        return NULL;
    }
    PyObject *obj = m->cls->tp_alloc(m->cls, 0);
    if (obj == NULL)
        return NULL;
    int atomic = 1;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        PyObject **slot = (PyObject **)((char *)obj + m->offsets[i]);
        Py_INCREF(args[i]);
        Py_XSETREF(*slot, args[i]);
        if (PyObject_IS_GC(args[i]) && PyObject_GC_IsTracked(args[i]))
            atomic = 0;
    }
    /* An object whose fields can hold no reference cycle (str, int, float,
     * None, bool, or such objects untracked in turn) is left out of the
     * cyclic garbage collector, as CPython does for such tuples: the store
     * caches tens of thousands of them, which every full collection would
     * otherwise walk. They are frozen, so their fields stay as made. */
    if (atomic && PyObject_GC_IsTracked(obj))
        PyObject_GC_UnTrack(obj);
    return obj;
}

static int
maker_traverse(Maker *m, visitproc visit, void *arg)
{
    Py_VISIT(m->cls);
    return 0;
}

static void
maker_dealloc(Maker *m)
{
    PyObject_GC_UnTrack(m);
    Py_CLEAR(m->cls);
    PyMem_Free(m->offsets);
    PyObject_GC_Del(m);
}

static PyTypeObject MakerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "gazetteer._records.Maker",
    .tp_basicsize = sizeof(Maker),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_vectorcall_offset = offsetof(Maker, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_traverse = (traverseproc)maker_traverse,
    .tp_dealloc = (destructor)maker_dealloc,
    .tp_doc = "Makes an instance of a slotted class from its fields, in slot order.",
};

static PyObject *
maker(PyObject *module, PyObject *cls_obj)
{
    if (!PyType_Check(cls_obj)) {
        PyErr_SetString(PyExc_TypeError, "maker(cls): cls must be a class");
        return NULL;
    }
    PyTypeObject *cls = (PyTypeObject *)cls_obj;
    if (cls->tp_new != PyBaseObject_Type.tp_new || cls->tp_base != &PyBaseObject_Type) {
        PyErr_Format(PyExc_TypeError, "maker: %s is not a plain class of its own slots",
                     cls->tp_name);
        return NULL;
    }
    PyObject *slots = PyObject_GetAttrString(cls_obj, "__slots__");
    if (slots == NULL) {
        if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError, "maker: %s has no __slots__", cls->tp_name);
        }
        return NULL;
    }
    PyObject *names = PySequence_Tuple(slots);
    Py_DECREF(slots);
    if (names == NULL)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(names);
    Py_ssize_t *offsets = PyMem_Calloc(n ? n : 1, sizeof(Py_ssize_t));
    if (offsets == NULL) {
        Py_DECREF(names);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *descr = PyDict_GetItemWithError(cls->tp_dict, PyTuple_GET_ITEM(names, i));
        PyMemberDef *member = NULL;
        if (descr != NULL && Py_IS_TYPE(descr, &PyMemberDescr_Type)
                && PyDescr_TYPE(descr) == cls)
            member = ((PyMemberDescrObject *)descr)->d_member;
        if (member == NULL || member->type != T_OBJECT_EX || (member->flags & READONLY)) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_TypeError, "maker: %R is not an object slot of %s",
                             PyTuple_GET_ITEM(names, i), cls->tp_name);
            PyMem_Free(offsets);
            Py_DECREF(names);
            return NULL;
        }
        offsets[i] = member->offset;
    }
    Py_DECREF(names);
    Maker *m = PyObject_GC_New(Maker, &MakerType);
    if (m == NULL) {
        PyMem_Free(offsets);
        return NULL;
    }
    Py_INCREF(cls);
    m->cls = cls;
    m->n = n;
    m->offsets = offsets;
    m->vectorcall = maker_vectorcall;
    PyObject_GC_Track(m);
    return (PyObject *)m;
}

/* -- unpack: the names table's packed candidates ------------------------------ */

typedef struct {
    const unsigned char *p, *end;
} Reader;

static int
bad(const char *what)
{
    PyErr_Format(PyExc_ValueError, "packed names: %s", what);
    return -1;
}

/* An unsigned LEB128 varint of at most 10 bytes (a 64-bit value). */
static int
read_varint(Reader *r, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end)
            return bad("a number runs past the end");
        unsigned char b = *r->p++;
        if (shift == 63 && (b & 0x7E))
            return bad("a number is too large");
        v |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return bad("a number is too long");
}

/* A zigzag varint as a Python int. */
static PyObject *
read_int(Reader *r)
{
    uint64_t u;
    if (read_varint(r, &u) < 0)
        return NULL;
    int64_t v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
    return PyLong_FromLongLong(v);
}

/* A text's varint length, checked against the end: 0, or -1 with the error set. */
static int
read_length(Reader *r, uint64_t *n)
{
    if (read_varint(r, n) < 0)
        return -1;
    if (*n > (uint64_t)(r->end - r->p)) {
        bad("a text runs past the end");
        return -1;
    }
    return 0;
}

/* A varint length, then that many bytes of UTF-8, as a str. */
static PyObject *
read_str(Reader *r)
{
    uint64_t n;
    if (read_length(r, &n) < 0)
        return NULL;
    PyObject *s = PyUnicode_DecodeUTF8((const char *)r->p, (Py_ssize_t)n, "strict");
    r->p += n;
    return s;
}

/* The short codes (country, feature class and code, admin codes) repeat from
 * row to row: a text of at most 8 bytes is kept in a small table by its
 * bytes and shared, instead of decoded again. (Only those fields: the
 * matched name and the place's name are decoded as they are.) */
#define CODES 1024
static struct {
    Py_ssize_t n;
    unsigned char b[8];
    PyObject *s;
} codes[CODES];

static PyObject *
read_code(Reader *r)
{
    uint64_t n;
    if (read_length(r, &n) < 0)
        return NULL;
    if (n > 8) {
        PyObject *s = PyUnicode_DecodeUTF8((const char *)r->p, (Py_ssize_t)n, "strict");
        r->p += n;
        return s;
    }
    uint32_t h = 2166136261U ^ (uint32_t)n;        /* FNV-1a of the length and bytes */
    for (uint64_t i = 0; i < n; i++)
        h = (h ^ r->p[i]) * 16777619U;
    h %= CODES;
    if (codes[h].s != NULL && codes[h].n == (Py_ssize_t)n && memcmp(codes[h].b, r->p, n) == 0) {
        r->p += n;
        return Py_NewRef(codes[h].s);
    }
    PyObject *s = PyUnicode_DecodeUTF8((const char *)r->p, (Py_ssize_t)n, "strict");
    if (s == NULL)
        return NULL;
    Py_XSETREF(codes[h].s, Py_NewRef(s));
    codes[h].n = (Py_ssize_t)n;
    memcpy(codes[h].b, r->p, n);
    r->p += n;
    return s;
}

static PyObject *
read_double(Reader *r)
{
    if (r->end - r->p < 8) {
        bad("a coordinate runs past the end");
        return NULL;
    }
    double d;
    memcpy(&d, r->p, 8);        /* little-endian IEEE 754, as struct's "<d" */
#if PY_BIG_ENDIAN
    {
        unsigned char b[8], *q = (unsigned char *)&d;
        for (int i = 0; i < 8; i++)
            b[i] = q[7 - i];
        memcpy(&d, b, 8);
    }
#endif
    r->p += 8;
    return PyFloat_FromDouble(d);
}

/* Flags of a packed candidate (gazetteer.schema): kind in bits 0-2. */
#define F_DERIVED 0x08
#define F_NAME 0x10
#define F_GEONAMEID 0x20
#define F_COUNTRY 0x40
#define F_ADMIN1 0x80

static PyObject *
unpack(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError,
                        "unpack(data, new_place, new_candidate, kinds, sources)");
        return NULL;
    }
    PyObject *data = args[0], *new_place = args[1], *new_candidate = args[2];
    PyObject *kinds = args[3], *sources = args[4];
    if (!PyBytes_Check(data) || !PyTuple_Check(kinds) || !PyTuple_Check(sources)) {
        PyErr_SetString(PyExc_TypeError, "unpack: data must be bytes, kinds and sources tuples");
        return NULL;
    }
    Reader r = {(const unsigned char *)PyBytes_AS_STRING(data),
                (const unsigned char *)PyBytes_AS_STRING(data) + PyBytes_GET_SIZE(data)};
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    /* the fields of Place, in order, then matched and kind */
    PyObject *f[13] = {NULL};
    PyObject *matched = NULL;
    while (r.p < r.end) {
        unsigned flags = *r.p++;
        Py_ssize_t kind = flags & 0x07;
        if (kind >= PyTuple_GET_SIZE(kinds)) {
            bad("a kind no build writes");
            goto fail;
        }
        uint64_t tail;
        if ((f[0] = read_int(&r)) == NULL                           /* id */
                || (f[7] = read_int(&r)) == NULL)                   /* population */
            goto fail;
        if (flags & F_GEONAMEID) {
            PyObject *delta = read_int(&r);
            if (delta == NULL)
                goto fail;
            f[8] = PyNumber_Add(f[0], delta);
            Py_DECREF(delta);
            if (f[8] == NULL)
                goto fail;
        }
        else {
            f[8] = Py_NewRef(Py_None);
        }
        if ((f[2] = read_double(&r)) == NULL || (f[3] = read_double(&r)) == NULL
                || (f[1] = read_str(&r)) == NULL)                   /* lat, lon, name */
            goto fail;
        if (flags & F_NAME) {
            if ((matched = read_str(&r)) == NULL)
                goto fail;
        }
        else {
            matched = Py_NewRef(f[1]);      /* the very string: matched is place.name */
        }
        if (flags & F_COUNTRY) {
            if ((f[4] = read_code(&r)) == NULL)
                goto fail;
        }
        else {
            f[4] = Py_NewRef(Py_None);
        }
        if ((f[5] = read_code(&r)) == NULL || (f[6] = read_code(&r)) == NULL)
            goto fail;
        if (flags & F_ADMIN1) {
            if ((f[9] = read_code(&r)) == NULL)
                goto fail;
        }
        else {
            f[9] = Py_NewRef(Py_None);
        }
        if (read_varint(&r, &tail) < 0)         /* source << 1 | has admin2 */
            goto fail;
        if (tail & 1) {
            if ((f[10] = read_code(&r)) == NULL)
                goto fail;
        }
        else {
            f[10] = Py_NewRef(Py_None);
        }
        if ((tail >> 1) >= (uint64_t)PyTuple_GET_SIZE(sources)) {
            bad("a source no build writes");
            goto fail;
        }
        f[11] = Py_NewRef(PyTuple_GET_ITEM(sources, (Py_ssize_t)(tail >> 1)));
        f[12] = Py_NewRef((flags & F_DERIVED) ? Py_True : Py_False);
        PyObject *place = PyObject_Vectorcall(new_place, f, 13, NULL);
        for (int i = 0; i < 13; i++)
            Py_CLEAR(f[i]);
        if (place == NULL)
            goto fail;
        PyObject *cargs[3] = {place, matched, PyTuple_GET_ITEM(kinds, kind)};
        PyObject *cand = PyObject_Vectorcall(new_candidate, cargs, 3, NULL);
        Py_DECREF(place);
        Py_CLEAR(matched);
        if (cand == NULL)
            goto fail;
        int err = PyList_Append(out, cand);
        Py_DECREF(cand);
        if (err < 0)
            goto fail;
    }
    {
        PyObject *t = PyList_AsTuple(out);
        Py_DECREF(out);
        return t;
    }
fail:
    for (int i = 0; i < 13; i++)
        Py_XDECREF(f[i]);
    Py_XDECREF(matched);
    Py_DECREF(out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"unpack", (PyCFunction)(void (*)(void))unpack, METH_FASTCALL,
     "unpack(data, new_place, new_candidate, kinds, sources): the tuple of candidates\n"
     "packed in one row of the names table (gazetteer.schema.unpack_entries)."},
    {"maker", maker, METH_O,
     "maker(cls): a callable f with f(*fields) == object.__new__(cls) with each of\n"
     "cls.__slots__, in order, set to the field of the same position."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "gazetteer._records",
    "Makes frozen slotted value objects from their fields (see gazetteer.store).",
    0, methods,
};

PyMODINIT_FUNC
PyInit__records(void)
{
    if (PyType_Ready(&MakerType) < 0)
        return NULL;
    return PyModule_Create(&module_def);
}
