/**
 * Where the mesh may open sockets: {@link dev.llmmesh.net.HostRules}, the one set of address rules for provider base
 * URLs, the agents' HTTP tool and JDBC URLs, judging every spelling of an address and every resolved address.
 */
@NullMarked
package dev.llmmesh.net;

import org.jspecify.annotations.NullMarked;
