package dev.sourcevitess.protocol;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Keeps what reaches "stdout" and counts the flushes that got there. */
final class CountingOutputStream extends OutputStream {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private int flushes;
  private int writes;

  @Override
  public void write(int b) {
    writes++;
    bytes.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    writes++;
    bytes.write(b, off, len);
  }

  @Override
  public void flush() {
    flushes++;
  }

  int flushes() {
    return flushes;
  }

  int writes() {
    return writes;
  }

  int size() {
    return bytes.size();
  }

  String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  String[] lines() {
    String text = text();
    return text.isEmpty() ? new String[0] : text.split("\n");
  }
}
