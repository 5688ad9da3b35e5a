//go:build !unix

package portal

// syscallNoFollow is 0 where O_NOFOLLOW does not exist; callers check the
// file they opened is regular.
const syscallNoFollow = 0
