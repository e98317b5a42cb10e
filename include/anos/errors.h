/*
 * Error codes shared by the kernel, user space and host tools. Functions
 * that can fail return one of these (0 is success); see STYLE.md habit 4.
 */
#ifndef ANOS_ERRORS_H
#define ANOS_ERRORS_H

typedef enum Error {
    E_OK = 0,
    E_NOMEM = -1,   /* out of memory (physical pages, slab objects, table slots) */
    E_INVAL = -2,   /* an argument is out of its documented domain */
    E_FAULT = -3,   /* a pointer does not reach valid memory */
    E_PERM = -4,    /* the caller lacks the right */
    E_NOENT = -5,   /* no such object, file or mapping */
    E_EXIST = -6,   /* already present (e.g. a mapping over a mapping) */
    E_BUSY = -7,    /* in use */
    E_RANGE = -8,   /* a value or address is outside the allowed range */
    E_CORRUPT = -9, /* input data (ELF, FDT, RAMFS, ACPI) is malformed */
    E_NOSYS = -10,  /* not implemented on this architecture or machine */
    E_AGAIN = -11,  /* try again later */
    E_ALIGN = -12,  /* an address or size is not suitably aligned */
} Error;

static inline const char *error_name(int err)
{
    switch (err) {
    case E_OK: return "E_OK";
    case E_NOMEM: return "E_NOMEM";
    case E_INVAL: return "E_INVAL";
    case E_FAULT: return "E_FAULT";
    case E_PERM: return "E_PERM";
    case E_NOENT: return "E_NOENT";
    case E_EXIST: return "E_EXIST";
    case E_BUSY: return "E_BUSY";
    case E_RANGE: return "E_RANGE";
    case E_CORRUPT: return "E_CORRUPT";
    case E_NOSYS: return "E_NOSYS";
    case E_AGAIN: return "E_AGAIN";
    case E_ALIGN: return "E_ALIGN";
    default: return "E_UNKNOWN";
    }
}

#endif
