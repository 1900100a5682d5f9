package dev.courier.it.interop;

import io.grpc.stub.StreamObserver;

/** The same service on grpc-java's generated ImplBase. */
final class GrpcJavaEcho extends EchoGrpc.EchoImplBase {
  static final String NAME = "grpc-java";

  @Override
  public void unary(EchoRequest request, StreamObserver<EchoReply> responses) {
    if (request.getFailWith() != 0) {
      responses.onError(EchoBehaviour.failure(request));
      return;
    }
    responses.onNext(EchoBehaviour.reply(NAME, request.getText(), 0));
    responses.onCompleted();
  }

  @Override
  public void serverStream(EchoRequest request, StreamObserver<EchoReply> responses) {
    for (int i = 0; i < request.getCount(); i++) {
      responses.onNext(EchoBehaviour.reply(NAME, request.getText(), i));
    }
    responses.onCompleted();
  }

  @Override
  public StreamObserver<EchoRequest> clientStream(StreamObserver<EchoReply> responses) {
    return EchoBehaviour.collecting(NAME, responses);
  }

  @Override
  public StreamObserver<EchoRequest> bidi(StreamObserver<EchoReply> responses) {
    return EchoBehaviour.echoing(NAME, responses);
  }
}
