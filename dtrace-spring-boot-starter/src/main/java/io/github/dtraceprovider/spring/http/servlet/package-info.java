/**
 * The HTTP probes for Spring MVC: an observation handler for the requests Spring observes, a servlet filter for the
 * others.
 */
package io.github.dtraceprovider.spring.http.servlet;
