package web

import "fmt"

// PageLink is a link to another page of a listing.
type PageLink struct {
	URL   string
	Label string // "Page 3 of 7"
}

// Pagination is what the shared "pagination" template shows: links to the
// previous and next pages, when there are any.
type Pagination struct {
	Page, Pages int
	Prev, Next  *PageLink
}

// Paginate makes the links for page of pages, with url giving the address
// of page n.
func Paginate(page, pages int, url func(n int) string) Pagination {
	p := Pagination{Page: page, Pages: pages}
	link := func(n int) *PageLink { return &PageLink{URL: url(n), Label: fmt.Sprintf("Page %d of %d", n, pages)} }
	if page > 1 && page-1 <= pages {
		p.Prev = link(page - 1)
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	return p
}

// FieldError is a problem with one field of a form, for the shared
// "error-summary" and "field-error" templates: Field is the input's id.
type FieldError struct {
	Field, Message string
}
