# Loads the kernel's symbols and connects to QEMU's GDB stub (localhost:9666).
# make debug-qemu-uefi writes build/<arch>/gdbinit; this picks x86_64's by
# default. For riscv64: gdb-multiarch -x build/riscv64/gdbinit
source build/x86_64/gdbinit
