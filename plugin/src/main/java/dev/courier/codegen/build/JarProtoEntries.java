package dev.courier.codegen.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The {@code .proto} entries of one jar, read straight from its zip central directory: a build
 * needs those few entries of jars with thousands of others (grpc-netty-shaded, guava), and
 * {@link java.util.zip.ZipFile} would first index every entry and then make an object of each
 * one listed, which costs tens of milliseconds in the cold JVM of a build. A jar this reader does
 * not take (zip64, a prefix, or any structure it does not expect) is read through {@code ZipFile}
 * instead. Not thread-safe; one per jar, closed after use.
 *
 * @since 0.1.0
 */
final class JarProtoEntries implements AutoCloseable {
  private static final int END_SIGNATURE = 0x06054b50;
  private static final int END_SIZE = 22;
  private static final int CENTRAL_SIGNATURE = 0x02014b50;
  private static final int CENTRAL_SIZE = 46;
  private static final int LOCAL_SIGNATURE = 0x04034b50;
  private static final int LOCAL_SIZE = 30;
  private static final int STORED = 0;
  private static final int DEFLATED = 8;
  private static final byte[] SUFFIX = ".proto".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] META_INF = "META-INF/".getBytes(StandardCharsets.US_ASCII);

  /**
   * One {@code .proto} entry.
   *
   * @param name its path in the jar
   * @param size uncompressed bytes
   * @param crc the CRC-32 the jar records
   * @param method how it is stored: 0 stored, 8 deflated
   * @param compressedSize its bytes in the jar
   * @param localHeader where its local header starts in the jar; -1 when read through {@code ZipFile}
   */
  record Entry(String name, long size, long crc, int method, long compressedSize, long localHeader) {}

  /** Open while this reads the jar directly, else null. */
  private final FileChannel channel;
  /** Open while this reads the jar through {@code ZipFile}, else null. */
  private final ZipFile zip;
  private final List<Entry> entries;

  private JarProtoEntries(FileChannel channel, ZipFile zip, List<Entry> entries) {
    this.channel = channel;
    this.zip = zip;
    this.entries = entries;
  }

  /** The jar's {@code .proto} entries. */
  static JarProtoEntries open(Path jar) throws IOException {
    FileChannel channel = FileChannel.open(jar, StandardOpenOption.READ);
    Optional<List<Entry>> entries;
    try {
      entries = read(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (entries.isPresent()) {
      return new JarProtoEntries(channel, null, entries.get());
    }
    channel.close();
    ZipFile zip = new ZipFile(jar.toFile());
    List<Entry> listed = new ArrayList<>();
    Enumeration<? extends ZipEntry> all = zip.entries();
    while (all.hasMoreElements()) {
      ZipEntry e = all.nextElement();
      if (!e.isDirectory() && e.getName().endsWith(".proto") && !e.getName().startsWith("META-INF/")) {
        listed.add(new Entry(e.getName(), e.getSize(), e.getCrc(), e.getMethod(), e.getCompressedSize(), -1));
      }
    }
    return new JarProtoEntries(null, zip, listed);
  }

  /** Whether the central directory was read directly (false: through {@code ZipFile}). */
  boolean readsDirectly() {
    return channel != null;
  }

  /** The entries, in the order of the central directory. */
  List<Entry> entries() {
    return entries;
  }

  /** The uncompressed bytes of {@code entry}; fails when they do not match its size. */
  byte[] read(Entry entry) throws IOException {
    if (zip != null) {
      ZipEntry e = zip.getEntry(entry.name());
      if (e == null) {
        throw new IOException("zip entry " + entry.name() + " is gone");
      }
      try (InputStream in = zip.getInputStream(e)) {
        return in.readAllBytes();
      }
    }
    ByteBuffer header = readFully(entry.localHeader(), LOCAL_SIZE);
    if (header.getInt(0) != LOCAL_SIGNATURE) {
      throw new IOException("zip entry " + entry.name() + " has no local header where the directory says");
    }
    long data = entry.localHeader() + LOCAL_SIZE + (header.getShort(26) & 0xffff) + (header.getShort(28) & 0xffff);
    byte[] compressed = readFully(data, Math.toIntExact(entry.compressedSize())).array();
    if (entry.method() == STORED) {
      return compressed;
    }
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(compressed);
      byte[] out = new byte[Math.toIntExact(entry.size())];
      int n = 0;
      while (n < out.length && !inflater.finished()) {
        int got = inflater.inflate(out, n, out.length - n);
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        n += got;
      }
      if (n != out.length) {
        throw new IOException("zip entry " + entry.name() + " inflates to " + n + " bytes, not " + out.length);
      }
      return out;
    } catch (DataFormatException e) {
      throw new IOException("zip entry " + entry.name() + " cannot be inflated: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    } else {
      zip.close();
    }
  }

  private static Optional<List<Entry>> read(FileChannel channel) throws IOException {
    long length = channel.size();
    if (length < END_SIZE) {
      return Optional.empty();
    }
    int tailLength = (int) Math.min(length, END_SIZE + 0xffff);
    ByteBuffer tail = readFully(channel, length - tailLength, tailLength);
    int end = -1;
    for (int i = tailLength - END_SIZE; i >= 0; i--) {
      if (tail.getInt(i) == END_SIGNATURE && i + END_SIZE + (tail.getShort(i + 20) & 0xffff) == tailLength) {
        end = i;
        break;
      }
    }
    if (end < 0) {
      return Optional.empty();
    }
    int count = tail.getShort(end + 10) & 0xffff;
    long directorySize = tail.getInt(end + 12) & 0xffffffffL;
    long directoryStart = tail.getInt(end + 16) & 0xffffffffL;
    // zip64 marks these as all ones; a jar with a prefix (a launcher script) has its offsets shifted.
    if (count == 0xffff || directorySize == 0xffffffffL || directoryStart == 0xffffffffL
        || directoryStart + directorySize != length - tailLength + end) {
      return Optional.empty();
    }
    ByteBuffer directory = readFully(channel, directoryStart, Math.toIntExact(directorySize));
    List<Entry> entries = new ArrayList<>();
    int at = 0;
    for (int i = 0; i < count; i++) {
      if (at + CENTRAL_SIZE > directory.limit() || directory.getInt(at) != CENTRAL_SIGNATURE) {
        return Optional.empty();
      }
      int nameLength = directory.getShort(at + 28) & 0xffff;
      int extraLength = directory.getShort(at + 30) & 0xffff;
      int commentLength = directory.getShort(at + 32) & 0xffff;
      int name = at + CENTRAL_SIZE;
      if (name + nameLength > directory.limit()) {
        return Optional.empty();
      }
      if (endsWith(directory, name, nameLength, SUFFIX) && !startsWith(directory, name, nameLength, META_INF)) {
        int method = directory.getShort(at + 10) & 0xffff;
        long compressedSize = directory.getInt(at + 20) & 0xffffffffL;
        long size = directory.getInt(at + 24) & 0xffffffffL;
        if ((method != STORED && method != DEFLATED) || compressedSize == 0xffffffffL || size == 0xffffffffL) {
          return Optional.empty();
        }
        byte[] nameBytes = new byte[nameLength];
        directory.get(name, nameBytes);
        entries.add(new Entry(new String(nameBytes, StandardCharsets.UTF_8), size,
            directory.getInt(at + 16) & 0xffffffffL, method, compressedSize,
            directory.getInt(at + 42) & 0xffffffffL));
      }
      at = name + nameLength + extraLength + commentLength;
    }
    return Optional.of(entries);
  }

  private static boolean endsWith(ByteBuffer b, int start, int length, byte[] suffix) {
    if (length < suffix.length) {
      return false;
    }
    int from = start + length - suffix.length;
    for (int i = 0; i < suffix.length; i++) {
      if (b.get(from + i) != suffix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(ByteBuffer b, int start, int length, byte[] prefix) {
    if (length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b.get(start + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private ByteBuffer readFully(long position, int size) throws IOException {
    return readFully(channel, position, size);
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int size) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
      }
    }
    return buffer.clear();
  }
}
