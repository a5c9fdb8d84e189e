"""The test suite, a package so that `tests.*` imports find it before any installed
package named `tests` (Ciw's wheel installs one into site-packages)."""
