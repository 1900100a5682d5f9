package dev.courier.runtime.server;

import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2CodecUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameAdapter;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A deliberately rude HTTP/2 client for the server tests, on the HTTP/2 frame codec that
 * grpc-netty-shaded carries: it writes whatever frames it is told (streams beyond the server's
 * limit, pings, resets, malformed headers and gRPC frames) and records what the server answers,
 * per stream and per connection. It keeps no HTTP/2 state of its own beyond HPACK, so it never
 * refuses to send anything. Writes run on its event loop; reads complete futures. Not for
 * production.
 */
final class RawHttp2Client implements AutoCloseable {
  /** What the server answered on one stream. */
  record Answer(Http2Headers headers, Http2Headers trailers, Long resetCode, int dataBytes) {
    /** grpc-status from the trailers (or from headers-only trailers), -1 when there is none. */
    int grpcStatus() {
      Http2Headers last = trailers != null ? trailers : headers;
      CharSequence status = last == null ? null : last.get("grpc-status");
      return status == null ? -1 : Integer.parseInt(status.toString());
    }

    /** The grpc-status as its code's name ({@code INTERNAL}), {@code null} when there is none. */
    String grpcStatusName() {
      int status = grpcStatus();
      return status < 0 ? null : Status.fromCodeValue(status).getCode().name();
    }

    String grpcMessage() {
      Http2Headers last = trailers != null ? trailers : headers;
      CharSequence message = last == null ? null : last.get("grpc-message");
      return message == null ? null : message.toString();
    }

    String httpStatus() {
      return headers == null || headers.status() == null ? null : headers.status().toString();
    }
  }

  /** The server's GOAWAY. */
  record GoAway(long errorCode, String debugData) {}

  private static final long ENOUGH_WINDOW = 1 << 30;

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
  private final Map<Integer, Partial> streams = new ConcurrentHashMap<>();
  private final CompletableFuture<GoAway> goAway = new CompletableFuture<>();
  private final CompletableFuture<Http2Settings> serverSettings = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final CompletableFuture<Long> pingAck = new CompletableFuture<>();
  private final boolean ackSettings;
  private final boolean preface;
  private final Channel channel;
  private volatile ChannelHandlerContext ctx;
  private volatile Throwable failure;
  private int nextStreamId = 1;

  private RawHttp2Client(int port, boolean preface, boolean ackSettings) throws InterruptedException {
    this.ackSettings = ackSettings;
    this.preface = preface;
    this.channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new Reader())
        .connect("127.0.0.1", port).sync().channel();
    channel.closeFuture().addListener(f -> {
      closed.complete(null);
      streams.values().forEach(p -> p.answer.completeExceptionally(new IllegalStateException("connection closed")));
    });
  }

  /** A TCP connection that has sent nothing yet. */
  static RawHttp2Client tcp(int port) throws InterruptedException {
    return new RawHttp2Client(port, false, false);
  }

  /**
   * A connection that has sent the HTTP/2 preface, its SETTINGS (a large receive window, so
   * answers are never stalled) and nothing else; it ACKs the server's SETTINGS when {@code
   * ackSettings}.
   */
  static RawHttp2Client connect(int port, boolean ackSettings) throws InterruptedException {
    return new RawHttp2Client(port, true, ackSettings);
  }

  /** Opens stream after stream: 1, 3, 5, ... */
  synchronized int newStream() {
    int id = nextStreamId;
    nextStreamId += 2;
    streams.put(id, new Partial());
    return id;
  }

  /** The headers of a well-formed gRPC request for {@code fullMethodName}. */
  static Http2Headers grpcHeaders(String fullMethodName) {
    return new DefaultHttp2Headers(false).method("POST").scheme("http").authority("127.0.0.1")
        .path("/" + fullMethodName).add("content-type", "application/grpc").add("te", "trailers");
  }

  /** One gRPC message frame: flag, four-byte length, then the bytes. */
  static byte[] grpcFrame(int compressedFlag, long declaredLength, byte[] message) {
    byte[] frame = new byte[5 + message.length];
    frame[0] = (byte) compressedFlag;
    frame[1] = (byte) (declaredLength >>> 24);
    frame[2] = (byte) (declaredLength >>> 16);
    frame[3] = (byte) (declaredLength >>> 8);
    frame[4] = (byte) declaredLength;
    System.arraycopy(message, 0, frame, 5, message.length);
    return frame;
  }

  /** A whole unary gRPC request on a new stream; returns the stream id. */
  int unary(String fullMethodName, byte[] message) {
    int id = newStream();
    onLoop(ctx -> {
      writer.writeHeaders(ctx, id, grpcHeaders(fullMethodName), 0, false, ctx.newPromise());
      writer.writeData(ctx, id, Unpooled.wrappedBuffer(grpcFrame(0, message.length, message)), 0, true,
          ctx.newPromise());
    });
    return id;
  }

  void headers(int streamId, Http2Headers headers, boolean endStream) {
    onLoop(ctx -> writer.writeHeaders(ctx, streamId, headers, 0, endStream, ctx.newPromise()));
  }

  void data(int streamId, byte[] bytes, boolean endStream) {
    onLoop(ctx -> writer.writeData(ctx, streamId, Unpooled.wrappedBuffer(bytes), 0, endStream, ctx.newPromise()));
  }

  void reset(int streamId, long errorCode) {
    onLoop(ctx -> writer.writeRstStream(ctx, streamId, errorCode, ctx.newPromise()));
  }

  void ping(long payload) {
    onLoop(ctx -> writer.writePing(ctx, false, payload, ctx.newPromise()));
  }

  /** Raw bytes on the socket, not framed. */
  void raw(byte[] bytes) {
    onLoop(ctx -> ctx.write(Unpooled.wrappedBuffer(bytes)));
  }

  /** Sends what was written so far. */
  void flush() {
    onLoop(ChannelHandlerContext::flush);
  }

  CompletableFuture<Answer> answer(int streamId) {
    return streams.get(streamId).answer;
  }

  CompletableFuture<GoAway> goAway() {
    return goAway;
  }

  CompletableFuture<Void> closed() {
    return closed;
  }

  CompletableFuture<Http2Settings> serverSettings() {
    return serverSettings;
  }

  CompletableFuture<Long> pingAck() {
    return pingAck;
  }

  boolean isOpen() {
    return channel.isActive();
  }

  /** What made the connection fail on reading (a reset by the server, say), {@code null} for nothing. */
  Throwable failure() {
    return failure;
  }

  /** The connection's state, for a failing test's message: open or closed, GOAWAY, and what closed it. */
  String state() {
    return (channel.isActive() ? "open" : "closed") + ", GOAWAY " + (goAway.isDone() ? goAway.join() : "none")
        + ", streams opened " + streams.size() + (failure == null ? "" : ", read failed: " + failure);
  }

  private void onLoop(Consumer<ChannelHandlerContext> action) {
    try {
      channel.eventLoop().submit(() -> action.accept(ctx)).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("raw HTTP/2 write failed", e);
    }
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** One stream's answer as its frames arrive. */
  private static final class Partial {
    final CompletableFuture<Answer> answer = new CompletableFuture<>();
    Http2Headers headers;
    Http2Headers trailers;
    int dataBytes;
  }

  /** Decodes the server's frames as they arrive (on the event loop). */
  private final class Reader extends ChannelInboundHandlerAdapter {
    private final DefaultHttp2FrameReader frames = new DefaultHttp2FrameReader(false);
    private ByteBuf pending = Unpooled.buffer();

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
      ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
      // Before any read: the server sends its SETTINGS at once, and their ACK must follow the preface.
      if (preface) {
        context.write(Http2CodecUtil.connectionPrefaceBuf());
        writer.writeSettings(context, new Http2Settings().initialWindowSize(1 << 20), context.newPromise());
        writer.writeWindowUpdate(context, 0, (int) ENOUGH_WINDOW, context.newPromise());
        context.flush();
      }
      context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) throws Http2Exception {
      ByteBuf in = (ByteBuf) msg;
      pending.writeBytes(in);
      in.release();
      frames.readFrame(context, pending, new Listener());
      pending.discardReadBytes();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      failure = cause;
      context.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      pending.release();
      pending = Unpooled.EMPTY_BUFFER;
    }
  }

  private final class Listener extends Http2FrameAdapter {
    @Override
    public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int padding,
        boolean endStream) {
      Partial stream = streams.computeIfAbsent(streamId, id -> new Partial());
      if (stream.headers == null) {
        stream.headers = headers;
      } else {
        stream.trailers = headers;
      }
      if (endStream) {
        stream.answer.complete(new Answer(stream.headers, stream.trailers, null, stream.dataBytes));
      }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int dependency,
        short weight, boolean exclusive, int padding, boolean endStream) {
      onHeadersRead(context, streamId, headers, padding, endStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext context, int streamId, ByteBuf data, int padding, boolean endStream) {
      Partial stream = streams.computeIfAbsent(streamId, id -> new Partial());
      stream.dataBytes += data.readableBytes();
      if (endStream) {
        stream.answer.complete(new Answer(stream.headers, stream.trailers, null, stream.dataBytes));
      }
      return data.readableBytes() + padding;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext context, int streamId, long errorCode) {
      Partial stream = streams.computeIfAbsent(streamId, id -> new Partial());
      stream.answer.complete(new Answer(stream.headers, stream.trailers, errorCode, stream.dataBytes));
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext context, Http2Settings settings) {
      serverSettings.complete(settings);
      if (ackSettings) {
        writer.writeSettingsAck(context, context.newPromise());
        context.flush();
      }
    }

    @Override
    public void onPingRead(ChannelHandlerContext context, long data) {
      if (!ackSettings) {
        return; // a client that answers nothing
      }
      writer.writePing(context, true, data, context.newPromise());
      context.flush();
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext context, long data) {
      pingAck.complete(data);
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext context, int lastStreamId, long errorCode, ByteBuf debugData) {
      goAway.complete(new GoAway(errorCode, debugData.toString(StandardCharsets.UTF_8)));
    }
  }
}
