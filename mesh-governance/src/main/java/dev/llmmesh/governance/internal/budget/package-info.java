/** Implementation of budgets: the reserve-and-settle interceptor, the worst-case estimator, scope keys. Not API. */
@NullMarked
package dev.llmmesh.governance.internal.budget;

import org.jspecify.annotations.NullMarked;
