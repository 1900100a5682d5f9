package dev.courier.runtime.queue.kafka;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * One node of a KRaft cluster (broker and controller) in a JVM of its own, for tests that kill a
 * broker for real ({@code kill -9}). Formats its storage, starts, prints {@code READY}, and runs
 * until killed, or until a line on stdin (or its end) shuts it down cleanly. The line is the
 * protocol with the test, not a report.
 *
 * <p>Arguments: node id, broker port, controller port, {@code controller.quorum.voters}, cluster
 * id, data folder.
 */
public final class KafkaBrokerProcess {
  private KafkaBrokerProcess() {}

  /** The properties of node {@code nodeId} of a cluster whose every node is broker and controller. */
  static Properties properties(int nodeId, int brokerPort, int controllerPort, String voters, Path dataDir) {
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(nodeId));
    props.put("controller.quorum.voters", voters);
    props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", dataDir.toString());
    // Production-like: the internal topics are replicated as Courier's are, 3 copies, 2 in sync.
    props.put("offsets.topic.replication.factor", "3");
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.replication.factor", "3");
    props.put("transaction.state.log.min.isr", "2");
    props.put("share.coordinator.state.topic.replication.factor", "3");
    props.put("share.coordinator.state.topic.min.isr", "2");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    // A dead broker is fenced after 3 s instead of 9: the test waits less for the failover, which
    // otherwise runs as in production (leaders move, the ISR shrinks, producers and consumers follow).
    props.put("broker.heartbeat.interval.ms", "500");
    props.put("broker.session.timeout.ms", "3000");
    return props;
  }

  public static void main(String[] args) throws Exception {
    int nodeId = Integer.parseInt(args[0]);
    Path dataDir = Path.of(args[5]);
    Properties props = properties(nodeId, Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3],
        dataDir.resolve("data"));
    Path file = dataDir.resolve("server.properties");
    Files.createDirectories(dataDir);
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, null);
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int rc = StorageTool.execute(new String[] {"format", "-t", args[4], "-c", file.toString()},
        new PrintStream(log, true, StandardCharsets.UTF_8));
    if (rc != 0) {
      System.out.println("FAILED " + log.toString(StandardCharsets.UTF_8).replace('\n', ' '));
      System.exit(1);
    }
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
    System.out.println("READY");
    System.out.flush();
    System.in.read();
    server.shutdown();
    server.awaitShutdown();
  }
}
