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
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

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

static PyMethodDef methods[] = {
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
