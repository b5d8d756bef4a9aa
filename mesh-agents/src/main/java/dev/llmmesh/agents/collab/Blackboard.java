package dev.llmmesh.agents.collab;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The shared context of a collaboration: the topic and every post, in order. Append-only and thread-safe; readers
 * get snapshots.
 */
public final class Blackboard {
    private final String topic;
    private final List<Post> posts = new ArrayList<>();

    public Blackboard(String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    public String topic() {
        return topic;
    }

    /** Appends {@code post}. */
    public synchronized void post(Post post) {
        posts.add(Objects.requireNonNull(post, "post"));
    }

    /** A snapshot of the posts, oldest first. */
    public synchronized List<Post> posts() {
        return List.copyOf(posts);
    }

    /** The latest post. */
    public synchronized Optional<Post> last() {
        return posts.isEmpty() ? Optional.empty() : Optional.of(posts.get(posts.size() - 1));
    }

    /** The topic and the posts as text, as each participant sees it. */
    public String transcript() {
        StringBuilder sb = new StringBuilder("Topic: ").append(topic).append('\n');
        List<Post> snapshot = posts();
        if (snapshot.isEmpty()) {
            sb.append("(no posts yet)\n");
        }
        for (Post p : snapshot) {
            sb.append("[round ").append(p.round()).append("] ").append(p.agentId()).append(": ").append(p.text())
                    .append('\n');
        }
        return sb.toString();
    }
}
