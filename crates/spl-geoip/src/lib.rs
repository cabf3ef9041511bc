//! GeoIP lookups for `iplocation`, over MaxMind City databases (GeoLite2-City, the format
//! Splunk ships).
#![warn(missing_docs)]
