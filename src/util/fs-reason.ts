// The reason a file operation failed, in words, for one-line errors.

const REASONS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large",
  EISDIR: "is a directory",
  ENOTDIR: "a component of the path is not a directory",
  ENAMETOOLONG: "file name too long",
  ELOOP: "too many levels of symbolic links",
  EIO: "input/output error",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  EBUSY: "device or resource busy",
  ETXTBSY: "text file busy",
  EXDEV: "cross-device link",
  EINVAL: "invalid argument",
  EEXIST: "file exists",
  ENXIO: "no such device or address",
  ENODEV: "no such device",
};

/** "no space left on device (ENOSPC)" for a Node fs error, the message otherwise. */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code === "string") return `${REASONS[code] ?? "error"} (${code})`;
  return e instanceof Error ? e.message.split("\n")[0] : String(e);
}
