package admin

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/places"
	"github.com/joinedup/joinedup/internal/web"
)

// listPerPage is how many records an admin list shows on one page.
const listPerPage = 50

// listQuery is what an admin list's address asks for: a place, a status,
// the column it is sorted by (descending when Desc) and the page.
type listQuery struct {
	Place  string // a place's slug, "whole" for the whole system, or "" for any
	Status string
	Sort   string
	Desc   bool
	Page   int
}

// sortable is a column of an admin list that can be sorted, with the
// comparison of two rows by it (ascending).
type sortable[T any] struct {
	Key, Label string
	Compare    func(a, b T) int
	// Desc makes the column sort descending when first chosen (newest or
	// hardest to read first).
	Desc bool
}

// readListQuery reads a list's query; a sort or status it does not know is
// a clear 400, as is a page that is not a whole number.
func readListQuery[T any](r *http.Request, cols []sortable[T], defSort string, statuses []option) (listQuery, error) {
	v := r.URL.Query()
	q := listQuery{Place: v.Get("place"), Status: v.Get("status"), Sort: cmp.Or(v.Get("sort"), defSort), Page: 1}
	i := slices.IndexFunc(cols, func(c sortable[T]) bool { return c.Key == q.Sort })
	if i < 0 {
		return q, web.BadRequest("This list cannot be sorted by “" + q.Sort + "”.")
	}
	switch v.Get("order") {
	case "":
		q.Desc = cols[i].Desc
	case "asc":
	case "desc":
		q.Desc = true
	default:
		return q, web.BadRequest("The order of a list is asc or desc.")
	}
	if q.Status != "" && !slices.ContainsFunc(statuses, func(o option) bool { return o.Value == q.Status }) {
		return q, web.BadRequest("There is no status called “" + q.Status + "” in this list.")
	}
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return q, web.BadRequest("The page of a list is a whole number from 1.")
		}
		q.Page = n
	}
	return q, nil
}

// values is the query as an address's parameters, with changes applied.
func (q listQuery) values(change func(url.Values)) string {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("place", q.Place)
	set("status", q.Status)
	set("sort", q.Sort)
	if q.Desc {
		v.Set("order", "desc")
	} else {
		v.Set("order", "asc")
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if change != nil {
		change(v)
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// header is a column heading of an admin list: a link that sorts by it
// (the other way when it is the sorted column), and its aria-sort.
type header struct {
	Label    string
	Href     string
	AriaSort string // "ascending", "descending" or ""
	Next     string // what the link does, for screen readers
}

// listView is what a sortable, filtered, paged list's template needs
// besides its rows.
type listView struct {
	Base       string
	Query      listQuery
	Headers    map[string]header
	Places     []option
	Statuses   []option
	Pagination web.Pagination
	Total      int
	// From and To number the rows shown (1-based), for "Showing 1 to 50 of 120".
	From, To int
	// Filtered reports that a place or status is chosen.
	Filtered bool
}

// sortAndPage sorts rows by the query's column, cuts out its page and
// describes the list for its template. The order within equal keys is
// the rows' own.
func sortAndPage[T any](base string, q listQuery, rows []T, cols []sortable[T], placeList []places.Place,
	u accounts.User, statuses []option) ([]T, listView) {
	for _, c := range cols {
		if c.Key == q.Sort {
			slices.SortStableFunc(rows, func(a, b T) int {
				if q.Desc {
					return c.Compare(b, a)
				}
				return c.Compare(a, b)
			})
		}
	}
	lv := listView{Base: base, Query: q, Headers: map[string]header{}, Total: len(rows), Filtered: q.Place != "" || q.Status != ""}
	for _, c := range cols {
		h := header{Label: c.Label}
		desc := c.Desc
		if c.Key == q.Sort {
			h.AriaSort = "ascending"
			if q.Desc {
				h.AriaSort = "descending"
			}
			desc = !q.Desc
		}
		h.Next = "sort by " + c.Label
		if desc {
			h.Next += ", descending"
		}
		key := c.Key
		h.Href = base + q.values(func(v url.Values) {
			v.Set("sort", key)
			v.Set("order", map[bool]string{true: "desc", false: "asc"}[desc])
			v.Del("page")
		})
		lv.Headers[c.Key] = h
	}
	lv.Places = []option{{Value: "", Label: "Any place", Checked: q.Place == ""}, {Value: "whole", Label: "Whole system", Checked: q.Place == "whole"}}
	for _, p := range placeList {
		if u.Can(accounts.EditContent) && !u.CanEditPlace(p.ID) {
			continue
		}
		lv.Places = append(lv.Places, option{Value: p.Slug, Label: p.Name, Checked: q.Place == p.Slug})
	}
	lv.Statuses = append([]option{{Value: "", Label: "Any status", Checked: q.Status == ""}}, statuses...)
	for i := range lv.Statuses[1:] {
		lv.Statuses[i+1].Checked = lv.Statuses[i+1].Value == q.Status
	}
	pages := max(1, (len(rows)+listPerPage-1)/listPerPage)
	page := min(q.Page, pages)
	lv.Pagination = web.Paginate(page, pages, func(n int) string {
		return base + q.values(func(v url.Values) {
			v.Del("page")
			if n > 1 {
				v.Set("page", strconv.Itoa(n))
			}
		})
	})
	start, end := (page-1)*listPerPage, min(page*listPerPage, len(rows))
	if start < end {
		lv.From, lv.To = start+1, end
	}
	return rows[start:end], lv
}

// inPlace reports whether a record of these places matches the list's
// place filter.
func (q listQuery) inPlace(placeIDs []int64, slugOf map[int64]string) bool {
	switch q.Place {
	case "":
		return true
	case "whole":
		return len(placeIDs) == 0
	}
	for _, id := range placeIDs {
		if slugOf[id] == q.Place {
			return true
		}
	}
	return false
}
