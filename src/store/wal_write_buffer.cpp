#include <bit>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include <sqlite3.h>

#include <warroom/store/wal_write_buffer.hpp>

namespace warroom::store {
namespace {

constexpr const char* vfs_name = "warroom-wal-write-buffer";
// About sixteen 8 KiB frames: a batch's frames go out in a few writes, and the buffer stays small
// next to an idle daemon's memory.
constexpr int buffer_bytes = 128 * 1024;
constexpr int frame_header_bytes = 24;  // WAL frame header (sqlite.org/fileformat2.html#walformat)

sqlite3_vfs* root_vfs() {
  static sqlite3_vfs* const root = sqlite3_vfs_find(nullptr);
  return root;
}

// A -wal file: the real file (opened by the default VFS in the memory after this header) and the
// run of bytes written to it but not yet passed on.
struct wal_file {
  sqlite3_file base;  // first: SQLite sees this, with our methods
  sqlite3_file* real;
  char* data;  // buffer_bytes, allocated at the first write
  int length;  // bytes held, which belong at [offset, offset + length)
  sqlite3_int64 offset;
  bool commit_page_next;  // the last write was a commit frame's header: flush after its page
};

wal_file* as_wal(sqlite3_file* file) {
  return reinterpret_cast<wal_file*>(file);
}

int flush(wal_file* f) {
  if (f->length == 0) return SQLITE_OK;
  const int rc = f->real->pMethods->xWrite(f->real, f->data, f->length, f->offset);
  f->length = 0;
  return rc;
}

bool overlaps(const wal_file* f, int amount, sqlite3_int64 offset) {
  return f->length > 0 && offset < f->offset + f->length && offset + amount > f->offset;
}

int wal_close(sqlite3_file* file) {
  wal_file* f = as_wal(file);
  const int flushed = flush(f);
  const int closed = f->real->pMethods->xClose(f->real);
  sqlite3_free(f->data);
  f->data = nullptr;
  return flushed != SQLITE_OK ? flushed : closed;
}

int wal_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  wal_file* f = as_wal(file);
  if (overlaps(f, amount, offset))
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xRead(f->real, out, amount, offset);
}

int wal_write(sqlite3_file* file, const void* bytes, int amount, sqlite3_int64 offset) {
  wal_file* f = as_wal(file);
  // A commit frame's header names the database size after the commit (bytes 4-7, else zero).
  // Its page is the transaction's last write: everything goes out with it, before SQLite
  // publishes the frames in the WAL index, whatever the synchronous setting. SQLite 3.40 writes
  // a frame as its header, then its page; a whole frame in one write is recognised too.
  const auto* header = static_cast<const unsigned char*>(bytes);
  const bool commits =
      amount >= frame_header_bytes && (header[4] | header[5] | header[6] | header[7]) != 0;
  const auto page = static_cast<unsigned>(amount - frame_header_bytes);
  const bool whole_frame = amount > frame_header_bytes && page >= 512 && std::has_single_bit(page);
  const bool last_of_commit = f->commit_page_next || (whole_frame && commits);
  f->commit_page_next = amount == frame_header_bytes && commits;
  if (f->data == nullptr) {
    f->data = static_cast<char*>(sqlite3_malloc(buffer_bytes));
    if (f->data == nullptr) return f->real->pMethods->xWrite(f->real, bytes, amount, offset);
  }
  const bool follows = f->length > 0 && offset == f->offset + f->length;
  if (!follows || f->length + amount > buffer_bytes)
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  if (amount > buffer_bytes) return f->real->pMethods->xWrite(f->real, bytes, amount, offset);
  if (f->length == 0) f->offset = offset;
  std::memcpy(f->data + f->length, bytes, static_cast<std::size_t>(amount));
  f->length += amount;
  return last_of_commit ? flush(f) : SQLITE_OK;
}

int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
  wal_file* f = as_wal(file);
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xTruncate(f->real, size);
}

int wal_sync(sqlite3_file* file, int flags) {
  wal_file* f = as_wal(file);
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xSync(f->real, flags);
}

int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
  wal_file* f = as_wal(file);
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileSize(f->real, size);
}

int wal_lock(sqlite3_file* file, int level) {
  return as_wal(file)->real->pMethods->xLock(as_wal(file)->real, level);
}

int wal_unlock(sqlite3_file* file, int level) {
  return as_wal(file)->real->pMethods->xUnlock(as_wal(file)->real, level);
}

int wal_check_reserved_lock(sqlite3_file* file, int* out) {
  return as_wal(file)->real->pMethods->xCheckReservedLock(as_wal(file)->real, out);
}

int wal_file_control(sqlite3_file* file, int op, void* arg) {
  wal_file* f = as_wal(file);
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileControl(f->real, op, arg);
}

int wal_sector_size(sqlite3_file* file) {
  return as_wal(file)->real->pMethods->xSectorSize(as_wal(file)->real);
}

int wal_device_characteristics(sqlite3_file* file) {
  return as_wal(file)->real->pMethods->xDeviceCharacteristics(as_wal(file)->real);
}

// Version 1: a -wal file is never memory-mapped and has no shared memory of its own (the WAL
// index belongs to the database file).
const sqlite3_io_methods wal_methods = {
    1,
    wal_close,
    wal_read,
    wal_write,
    wal_truncate,
    wal_sync,
    wal_file_size,
    wal_lock,
    wal_unlock,
    wal_check_reserved_lock,
    wal_file_control,
    wal_sector_size,
    wal_device_characteristics,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

constexpr int real_offset = (static_cast<int>(sizeof(wal_file)) + 15) & ~15;

int open_file(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* root = root_vfs();
  if ((flags & SQLITE_OPEN_WAL) == 0) return root->xOpen(root, name, file, flags, out_flags);
  wal_file* f = as_wal(file);
  std::memset(f, 0, sizeof(wal_file));
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + real_offset);
  const int rc = root->xOpen(root, name, f->real, flags, out_flags);
  // SQLite calls xClose only when pMethods is set: leave it null unless the real file is open.
  if (f->real->pMethods != nullptr) f->base.pMethods = &wal_methods;
  return rc;
}

sqlite3_vfs make_vfs() {
  sqlite3_vfs* root = root_vfs();
  sqlite3_vfs vfs = *root;  // version, path length and every method but xOpen, pointing at root's
  vfs.szOsFile = real_offset + root->szOsFile;
  vfs.pNext = nullptr;
  vfs.zName = vfs_name;
  vfs.pAppData = nullptr;
  vfs.xOpen = open_file;
  // The default VFS's own methods receive it, not this one: they may read its pAppData.
  vfs.xDelete = [](sqlite3_vfs*, const char* path, int sync_dir) {
    return root_vfs()->xDelete(root_vfs(), path, sync_dir);
  };
  vfs.xAccess = [](sqlite3_vfs*, const char* path, int flags, int* out) {
    return root_vfs()->xAccess(root_vfs(), path, flags, out);
  };
  vfs.xFullPathname = [](sqlite3_vfs*, const char* path, int size, char* out) {
    return root_vfs()->xFullPathname(root_vfs(), path, size, out);
  };
  vfs.xDlOpen = [](sqlite3_vfs*, const char* path) {
    return root_vfs()->xDlOpen(root_vfs(), path);
  };
  vfs.xDlError = [](sqlite3_vfs*, int size, char* out) {
    root_vfs()->xDlError(root_vfs(), size, out);
  };
  vfs.xDlSym = [](sqlite3_vfs*, void* handle, const char* symbol) {
    return root_vfs()->xDlSym(root_vfs(), handle, symbol);
  };
  vfs.xDlClose = [](sqlite3_vfs*, void* handle) { root_vfs()->xDlClose(root_vfs(), handle); };
  vfs.xRandomness = [](sqlite3_vfs*, int size, char* out) {
    return root_vfs()->xRandomness(root_vfs(), size, out);
  };
  vfs.xSleep = [](sqlite3_vfs*, int micros) { return root_vfs()->xSleep(root_vfs(), micros); };
  vfs.xCurrentTime = [](sqlite3_vfs*, double* out) {
    return root_vfs()->xCurrentTime(root_vfs(), out);
  };
  vfs.xGetLastError = [](sqlite3_vfs*, int size, char* out) {
    return root_vfs()->xGetLastError(root_vfs(), size, out);
  };
  if (root->iVersion >= 2 && root->xCurrentTimeInt64 != nullptr) {
    vfs.xCurrentTimeInt64 = [](sqlite3_vfs*, sqlite3_int64* out) {
      return root_vfs()->xCurrentTimeInt64(root_vfs(), out);
    };
  }
  if (root->iVersion >= 3) {
    vfs.xSetSystemCall = [](sqlite3_vfs*, const char* name, sqlite3_syscall_ptr call) {
      return root_vfs()->xSetSystemCall(root_vfs(), name, call);
    };
    vfs.xGetSystemCall = [](sqlite3_vfs*, const char* name) {
      return root_vfs()->xGetSystemCall(root_vfs(), name);
    };
    vfs.xNextSystemCall = [](sqlite3_vfs*, const char* name) {
      return root_vfs()->xNextSystemCall(root_vfs(), name);
    };
  }
  return vfs;
}

}  // namespace

void release_wal_buffer(sqlite3* db) {
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &file) != SQLITE_OK ||
      file == nullptr || file->pMethods != &wal_methods)
    return;
  wal_file* f = as_wal(file);
  if (f->length != 0) return;  // inside a transaction; each commit writes its frames out
  sqlite3_free(f->data);
  f->data = nullptr;
}

const char* wal_write_buffer_vfs() {
  static sqlite3_vfs vfs = make_vfs();
  static std::once_flag registered;
  std::call_once(registered, [] { (void)sqlite3_vfs_register(&vfs, 0); });
  return vfs_name;
}

}  // namespace warroom::store
