/*
 * geomap._typos: the recogniser's typo index, built in C.
 *
 * deletions(names) gives what geomap.recognize._deletion_index gives (the
 * pure Python definition, used when this extension is not built): a dict
 * from each name, and from each string made by deleting one character of
 * it, to the first name that made it. tests/geomap/test_recognize.py
 * compares both.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* name with its character k deleted: a new reference, or NULL */
static PyObject *
without(PyObject *name, Py_ssize_t n, Py_ssize_t k)
{
    if (PyUnicode_IS_ASCII(name)) {
        /* the common case: copy the bytes around k (the result is ASCII too) */
        PyObject *out = PyUnicode_New(n - 1, 127);
        if (out == NULL)
            return NULL;
        const Py_UCS1 *src = PyUnicode_1BYTE_DATA(name);
        Py_UCS1 *dst = PyUnicode_1BYTE_DATA(out);
        memcpy(dst, src, (size_t)k);
        memcpy(dst + k, src + k + 1, (size_t)(n - k - 1));
        return out;
    }
    /* otherwise as Python would: the result takes its own narrowest form */
    PyObject *head = PyUnicode_Substring(name, 0, k);
    if (head == NULL)
        return NULL;
    PyObject *tail = PyUnicode_Substring(name, k + 1, n);
    if (tail == NULL) {
        Py_DECREF(head);
        return NULL;
    }
    PyObject *out = PyUnicode_Concat(head, tail);
    Py_DECREF(head);
    Py_DECREF(tail);
    return out;
}

PyDoc_STRVAR(deletions_doc,
"deletions(names, /)\n--\n\n"
"A dict from each name of the iterable names, and from each string made by\n"
"deleting one of its characters, to the first name that made it.");

static PyObject *
deletions(PyObject *module, PyObject *names)
{
    PyObject *it = PyObject_GetIter(names);
    if (it == NULL)
        return NULL;
    PyObject *index = PyDict_New();
    if (index == NULL) {
        Py_DECREF(it);
        return NULL;
    }
    PyObject *name;
    while ((name = PyIter_Next(it)) != NULL) {
        if (!PyUnicode_Check(name)) {
            PyErr_Format(PyExc_TypeError, "deletions() expects names as str, not %.100s",
                         Py_TYPE(name)->tp_name);
            Py_DECREF(name);
            goto fail;
        }
        if (PyDict_SetDefault(index, name, name) == NULL) {
            Py_DECREF(name);
            goto fail;
        }
        Py_ssize_t n = PyUnicode_GET_LENGTH(name);
        for (Py_ssize_t k = 0; k < n; k++) {
            PyObject *key = without(name, n, k);
            if (key == NULL || PyDict_SetDefault(index, key, name) == NULL) {
                Py_XDECREF(key);
                Py_DECREF(name);
                goto fail;
            }
            Py_DECREF(key);
        }
        Py_DECREF(name);
    }
    if (PyErr_Occurred())
        goto fail;
    Py_DECREF(it);
    return index;
fail:
    Py_DECREF(it);
    Py_DECREF(index);
    return NULL;
}

static PyMethodDef typos_methods[] = {
    {"deletions", (PyCFunction)deletions, METH_O, deletions_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef typos_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "geomap._typos",
    .m_doc = "The recogniser's typo index, built in C (see geomap/_typos.c).",
    .m_size = 0,
    .m_methods = typos_methods,
};

PyMODINIT_FUNC
PyInit__typos(void)
{
    return PyModuleDef_Init(&typos_module);
}
