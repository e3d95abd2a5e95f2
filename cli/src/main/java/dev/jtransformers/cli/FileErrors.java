package dev.jtransformers.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/** File errors in plain words for the command line: what went wrong with which file, not a Java class name. */
final class FileErrors {
  private FileErrors() {}

  /** E.g. {@code /no/such.jsonl: no such file or directory}. */
  static String describe(IOException e) {
    if (e instanceof FileSystemException f) {
      String problem;
      if (f instanceof NoSuchFileException) {
        problem = "no such file or directory";
      } else if (f instanceof AccessDeniedException) {
        problem = "permission denied";
      } else if (f instanceof FileAlreadyExistsException) {
        problem = "already exists";
      } else if (f instanceof NotDirectoryException) {
        problem = "not a directory";
      } else {
        problem = f.getReason() == null ? "cannot be accessed" : f.getReason().toLowerCase(Locale.ROOT);
      }
      return f.getFile() == null ? problem : f.getFile() + ": " + problem;
    }
    return e.getMessage() == null ? "input/output error" : e.getMessage();
  }
}
