package dev.courier.it.interop;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

/** What both servers do, so either client can check the same answers. */
final class EchoBehaviour {
  static final Metadata.Key<String> REASON = Metadata.Key.of("x-reason", Metadata.ASCII_STRING_MARSHALLER);

  private EchoBehaviour() {}

  static EchoReply reply(String server, String text, int index) {
    return EchoReply.newBuilder().setServer(server).setText(text).setIndex(index).build();
  }

  /** A failure with the requested status, a description and a trailer. */
  static StatusRuntimeException failure(EchoRequest request) {
    Metadata trailers = new Metadata();
    trailers.put(REASON, "asked-for-" + request.getFailWith());
    return Status.fromCodeValue(request.getFailWith())
        .withDescription("failing as asked: " + request.getText())
        .asRuntimeException(trailers);
  }

  static StreamObserver<EchoRequest> collecting(String server, StreamObserver<EchoReply> responses) {
    StringBuilder all = new StringBuilder();
    return new StreamObserver<>() {
      int count;

      @Override
      public void onNext(EchoRequest value) {
        all.append(value.getText());
        count++;
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onNext(reply(server, all.toString(), count));
        responses.onCompleted();
      }
    };
  }

  static StreamObserver<EchoRequest> echoing(String server, StreamObserver<EchoReply> responses) {
    return new StreamObserver<>() {
      int index;

      @Override
      public void onNext(EchoRequest value) {
        responses.onNext(reply(server, value.getText(), index++));
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onCompleted();
      }
    };
  }
}
