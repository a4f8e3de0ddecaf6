package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/web"
)

// servicesPerPage is how many services a page of the admin's list shows.
const servicesPerPage = 25

type serviceListData struct {
	Query      string
	Total      int
	Services   []directory.ServiceSummary
	Pagination web.Pagination
}

// pageNumber reads ?page=, counting from 1.
func pageNumber(r *http.Request) (int, error) {
	p := r.URL.Query().Get("page")
	if p == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 {
		return 0, web.BadRequest("The page number must be a whole number from 1.")
	}
	return n, nil
}

func (h *handlers) serviceList(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	page, err := pageNumber(r)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	list, total, err := h.directory.ListServices(r.Context(), q, page, servicesPerPage)
	if err != nil {
		return err
	}
	pages := (total + servicesPerPage - 1) / servicesPerPage
	if page > 1 && page > pages {
		return web.NotFound("There are only " + strconv.Itoa(max(pages, 1)) + " pages of services.")
	}
	d := serviceListData{Query: q, Total: total, Services: list}
	d.Pagination = web.Paginate(page, pages, func(n int) string {
		v := url.Values{}
		if q != "" {
			v.Set("q", q)
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return "/admin/directory"
		}
		return "/admin/directory?" + v.Encode()
	})
	return h.render(w, r, http.StatusOK, "admin_services.html", "Directory services", u, dashboardCrumbs, d)
}
