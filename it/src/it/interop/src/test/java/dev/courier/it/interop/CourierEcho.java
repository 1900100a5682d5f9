package dev.courier.it.interop;

import io.grpc.stub.StreamObserver;

/** The service implemented on Courier's generated interface. */
final class CourierEcho implements Echo {
  static final String NAME = "courier";

  @Override
  public EchoReply unary(EchoRequest request) {
    if (request.getFailWith() != 0) {
      throw EchoBehaviour.failure(request);
    }
    return EchoBehaviour.reply(NAME, request.getText(), 0);
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
