package dev.courier.it.bomkafka;

/** The user's implementation of the generated {@link Greeter} interface. */
public final class Greetings implements Greeter {
  @Override
  public GreetReply greet(GreetRequest request) {
    return GreetReply.newBuilder().setGreeting("Hello, " + request.getName()).build();
  }
}
