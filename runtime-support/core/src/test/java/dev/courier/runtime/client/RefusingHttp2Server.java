package dev.courier.runtime.client;

import dev.courier.runtime.discovery.Endpoint;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2HeadersFrame;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare HTTP/2 server on 127.0.0.1 that refuses every stream it is sent: it answers each request's
 * headers with {@code RST_STREAM REFUSED_STREAM}, HTTP/2's way of saying "not processed, try
 * again", as an overloaded or draining server may. A gRPC server never sends it on its own, so
 * this is Netty's HTTP/2 codec with no gRPC above it. It counts the streams it was sent.
 */
final class RefusingHttp2Server implements AutoCloseable {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final AtomicInteger streams = new AtomicInteger();
  private final Channel channel;

  RefusingHttp2Server() throws InterruptedException {
    channel = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new Refuser());
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0))
        .sync()
        .channel();
  }

  private final class Refuser extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object frame) {
      if (frame instanceof Http2HeadersFrame headers && headers.stream() != null
          && streamStarts(headers)) {
        streams.incrementAndGet();
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM).stream(headers.stream()));
      }
      ReferenceCountUtil.release(frame);
    }

    private boolean streamStarts(Http2HeadersFrame headers) {
      return headers.headers().method() != null; // request headers, not trailers
    }
  }

  /** How many streams (requests) it was sent, each refused. */
  int streams() {
    return streams.get();
  }

  Endpoint endpoint() {
    return Endpoint.of("127.0.0.1", ((InetSocketAddress) channel.localAddress()).getPort());
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
