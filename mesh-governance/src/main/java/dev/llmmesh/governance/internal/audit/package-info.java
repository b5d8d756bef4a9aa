/**
 * Implementation of the audit log: the call interceptor, the durable outbox and its delivery, the JSON codec, hashes
 * and signatures. Not API.
 */
@NullMarked
package dev.llmmesh.governance.internal.audit;

import org.jspecify.annotations.NullMarked;
